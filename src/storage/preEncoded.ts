/**
 * Records encoded before their write, on another thread: a replicated change arrives as JSON on the
 * receiving worker, which also encodes the item record and most of the change record the region
 * stores for it (replication/incoming.ts). The region's thread then copies bytes instead of
 * encoding, which was about a quarter of its work while catching up on a backlog.
 */
import { NameSafePackr } from './nameSafePackr.js';
import type { NewChange } from './store.js';

/** What LMDB stores: plain msgpack maps (useRecords: false), each with a 16-bit count, keys kept as written. */
const packr = new NameSafePackr({ useRecords: false });
const unpackr = packr;
const MAP16 = 0xde;
const HEADER_BYTES = 3;
const FIXSTR = 0xa0;

export function decodeRecord(bytes: Uint8Array): unknown {
  return unpackr.unpack(bytes);
}

function mapCount(bytes: Uint8Array): number {
  if (bytes[0] !== MAP16) throw new Error('pre-encoded records must be 16-bit maps');
  return (bytes[1] << 8) | bytes[2];
}

function setMapCount(bytes: Uint8Array, at: number, count: number): void {
  bytes[at + 1] = count >> 8;
  bytes[at + 2] = count & 0xff;
}

/**
 * Records written one after another into one buffer, so a batch of them crosses threads as one
 * transfer and makes no allocation per record. A record may end with a field whose value is
 * already encoded: an item goes into a change's two records, and is encoded once for both.
 */
export class RecordArena {
  private bytes: Uint8Array;
  private shared = new Uint8Array(1024);
  private sharedLength = 0;
  length = 0;

  constructor(capacity = 64 * 1024) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Encodes a value to be given to append() as a last field (until the next share()). */
  share(value: unknown): void {
    const encoded = packr.pack(value);
    if (this.shared.length < encoded.length) this.shared = new Uint8Array(encoded.length * 2);
    this.shared.set(encoded);
    this.sharedLength = encoded.length;
  }

  /** Appends `fields` as a map, then (when named) the last shared value as field `sharedAs`; returns the record's end. */
  append(fields: object, sharedAs?: string): number {
    const head = packr.pack(fields);
    const count = mapCount(head);
    const start = this.length;
    const extra = sharedAs === undefined ? 0 : 1 + sharedAs.length + this.sharedLength;
    this.reserve(head.length + extra);
    this.bytes.set(head, start);
    this.length += head.length;
    if (sharedAs !== undefined) {
      // Field names here are short ASCII, a msgpack fixstr.
      this.bytes[this.length++] = FIXSTR | sharedAs.length;
      for (let i = 0; i < sharedAs.length; i += 1) this.bytes[this.length++] = sharedAs.charCodeAt(i);
      this.bytes.set(this.shared.subarray(0, this.sharedLength), this.length);
      this.length += this.sharedLength;
      setMapCount(this.bytes, start, count + 1);
    }
    return this.length;
  }

  /** The records written, in a buffer of their own (to transfer). */
  take(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  private reserve(size: number): void {
    if (this.length + size <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + size));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}

/** A change record's tail: the fields its origin decided, which a replicated change carries as they are. */
type TailField = 'table' | 'keys' | 'newImage' | 'version' | 'origin' | 'attributes';
type ChangeHead = Omit<NewChange, TailField>;

/**
 * The head: every other field, the ones a region decides when it applies a change. Typed as a
 * record of all of them, so a field added to change records cannot be left out of both.
 */
const HEAD: Record<keyof ChangeHead, true> = { eventName: true, oldImage: true, prevVersion: true, commitTimeMs: true, service: true, transactionItem: true };
const HEAD_FIELDS = Object.keys(HEAD) as (keyof ChangeHead)[];

let scratch = new Uint8Array(4096);

/**
 * A change record's bytes: its head fields encoded now, then the tail's encoded fields. The result
 * is only valid until the next call (one buffer serves every call: the store copies it at once).
 */
export function spliceChange(change: ChangeHead, tail: Uint8Array): Uint8Array {
  const fields: Partial<ChangeHead> = {};
  for (const name of HEAD_FIELDS) if (change[name] !== undefined) (fields as Record<string, unknown>)[name] = change[name];
  const head = packr.pack(fields);
  const size = head.length + tail.length - HEADER_BYTES;
  if (scratch.length < size) scratch = new Uint8Array(Math.max(size, scratch.length * 2));
  scratch.set(head, 0);
  scratch.set(tail.subarray(HEADER_BYTES), head.length);
  setMapCount(scratch, 0, mapCount(head) + mapCount(tail));
  return scratch.subarray(0, size);
}
