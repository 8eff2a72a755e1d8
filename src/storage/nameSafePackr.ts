/**
 * msgpack that keeps every object key as it is. msgpackr decodes a map key `__proto__` as
 * `__proto_` (to keep it from setting a prototype), which would silently rename an attribute and
 * merge it with a real `__proto_`. Keys of the form `__proto_`, `__proto__`, `__proto___`, … are
 * therefore written with two more underscores and read back with two fewer (a key of that form
 * read back always carries at least three, so the mapping is one to one), and `__proto__` is set
 * as an own member. Both directions first look for the marker in the bytes, natively: records
 * without such a key (nearly all) cost one scan and no walk.
 */
import { Packr, type Options } from 'msgpackr';
import { setOwn } from '../core/plainData.js';

const ESCAPABLE = /^__proto_+$/;
/** An escaped key: an escapable one with two more underscores, so at least three. */
const UNESCAPABLE = /^__proto___+$/;
const MAY_NEED_ESCAPE = Buffer.from('__proto_');
const ESCAPED = Buffer.from('__proto___');

function contains(bytes: Uint8Array, marker: Buffer, start = 0, end = bytes.length): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).indexOf(marker) !== -1;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A copy with every escapable key renamed; values other than arrays and plain objects are shared. */
export function escapeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(escapeKeys);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const escaped = ESCAPABLE.test(key) ? `${key}__` : key;
    // A record may carry undefined members, which msgpack writes as nil: keep them as they are.
    out[escaped] = escapeKeys(value[key]);
  }
  return out;
}

/** Undoes escapeKeys on a freshly decoded value (its arrays and objects are reused where nothing changes). */
export function unescapeKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) value[i] = unescapeKeys(value[i]);
    return value;
  }
  if (!isPlainObject(value)) return value;
  let renamed = false;
  for (const key of Object.keys(value)) {
    value[key] = unescapeKeys(value[key]);
    if (UNESCAPABLE.test(key)) renamed = true;
  }
  if (!renamed) return value;
  // Rebuilt in the same key order: digests and equality of replicas must not depend on the escape.
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) setOwn(out, UNESCAPABLE.test(key) ? key.slice(0, -2) : key, value[key]);
  return out;
}

/** A msgpackr Packr (also usable as lmdb's `encoder: { Encoder }`) whose maps round-trip every key. */
export class NameSafePackr extends Packr {
  constructor(options?: Options) {
    super(options);
    // msgpackr defines pack/encode per instance, so they are wrapped here rather than overridden.
    const pack = this.pack;
    const safePack = (value: unknown, encodeOptions?: number): Buffer => {
      const bytes = pack.call(this, value, encodeOptions) as Buffer & { start?: number; end?: number };
      // In lmdb's buffer-reuse mode the result is the whole working buffer, its record in [start, end).
      const found = bytes.start === undefined ? contains(bytes, MAY_NEED_ESCAPE) : contains(bytes, MAY_NEED_ESCAPE, bytes.start, bytes.end);
      return found ? pack.call(this, escapeKeys(value), encodeOptions) : bytes;
    };
    this.pack = safePack;
    this.encode = safePack;
  }

  override unpack(source: Buffer | Uint8Array, options?: Parameters<Packr['unpack']>[1]): unknown {
    const value = super.unpack(source, options);
    return contains(source, ESCAPED) ? unescapeKeys(value) : value;
  }

  override decode(source: Buffer | Uint8Array, options?: Parameters<Packr['unpack']>[1]): unknown {
    return this.unpack(source, options);
  }
}
