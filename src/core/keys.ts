/**
 * Storage keys whose byte order is DynamoDB's order. An item key is the partition prefix
 * (8 digest bytes + length + the partition value's hashed bytes, so one partition is contiguous
 * and scans visit partitions in DynamoDB's order) followed by an order-preserving sort key.
 */
import { decodeBase64 } from './base64.js';
import { parseDecimal } from './decimal.js';
import { md5 } from './md5.js';
import { own } from './plainData.js';
import type { AttributeValue, Item, KeyShape, KeyType } from './types.js';

const encoder = new TextEncoder();

export function compareBytes(a: Uint8Array, b: Uint8Array): -1 | 0 | 1 {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** UTF-8 bytes; keys are mostly short ASCII, which a plain loop encodes faster than TextEncoder. */
function utf8(text: string): Uint8Array {
  if (text.length > 64) return encoder.encode(text);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return encoder.encode(text);
    out[i] = code;
  }
  return out;
}

/** The bytes DynamoDB orders a scalar by (and hashes a partition key by). */
export function scalarBytes(type: KeyType, value: AttributeValue): Uint8Array {
  if (type === 'S') return utf8((value as { S: string }).S);
  if (type === 'B') return decodeBase64((value as { B: string }).B);
  return utf8((value as { N: string }).N);
}

/**
 * The bytes DynamoDB hashes a number by: a base-100 form (as Oracle's NUMBER). An exponent byte
 * (base-100 exponent + 64, bits inverted for negatives), then digit pairs, each + 1 for positives
 * or 101 - pair for negatives; negatives of fewer than 20 pairs end with 102. Zero is 0x80.
 */
export function hashNumberBytes(text: string): Uint8Array {
  const value = parseDecimal(text);
  if (!value.digits) return new Uint8Array([0x80]);
  // Digits before the point when written 0.d1d2… × 10^places; pairs align on even places.
  const places = value.exponent + value.digits.length;
  const digits = places % 2 === 0 ? value.digits : `0${value.digits}`;
  const pairs = Math.ceil(digits.length / 2);
  const trailer = value.negative && pairs < 20 ? 1 : 0;
  const out = new Uint8Array(1 + pairs + trailer);
  const exponent = (places + (places % 2 === 0 ? 0 : 1)) / 2 + 64 - 128;
  out[0] = (value.negative ? ~exponent : exponent) & 0xff;
  for (let i = 0; i < pairs; i += 1) {
    const pair = (digits.charCodeAt(2 * i) - 48) * 10 + (2 * i + 1 < digits.length ? digits.charCodeAt(2 * i + 1) - 48 : 0);
    out[1 + i] = value.negative ? 101 - pair : pair + 1;
  }
  if (trailer) out[out.length - 1] = 102;
  return out;
}

/** The bytes a key attribute is hashed by (a partition's placement, the order of equal index keys). */
export function hashBytes(type: KeyType, value: AttributeValue): Uint8Array {
  return type === 'N' ? hashNumberBytes((value as { N: string }).N) : scalarBytes(type, value);
}

/** "Outliers" is the salt DynamoDB's partition hash starts with. */
const SALT = encoder.encode('Outliers');
export const DIGEST_BYTES = 8;

/** Where a digest's input is put together; grown when a part is larger, never shrunk. */
let digestInput = new Uint8Array(256);

/** The first DIGEST_BYTES of MD5("Outliers" ‖ parts): the order DynamoDB places keys in. */
export function keyDigest(...parts: Uint8Array[]): Uint8Array {
  let length = SALT.length;
  for (const part of parts) length += part.length;
  if (length > digestInput.length) digestInput = new Uint8Array(Math.max(length, digestInput.length * 2));
  digestInput.set(SALT, 0);
  let at = SALT.length;
  for (const part of parts) {
    digestInput.set(part, at);
    at += part.length;
  }
  return md5(digestInput.subarray(0, length)).subarray(0, DIGEST_BYTES);
}

/**
 * Bumped whenever the byte layout of item or index entry keys changes: data written with another
 * layout would be found in the wrong places. 2: partitions placed by MD5, as DynamoDB places them.
 */
export const KEY_LAYOUT_VERSION = 2;

/** The digest, then the hashed bytes' length and the bytes themselves: unique to the partition. */
export function partitionPrefix(shape: KeyShape, hashValue: AttributeValue): Uint8Array {
  const raw = hashBytes(shape.hash.type, hashValue);
  const out = new Uint8Array(DIGEST_BYTES + 2 + raw.length);
  out.set(keyDigest(raw), 0);
  out[DIGEST_BYTES] = raw.length >>> 8;
  out[DIGEST_BYTES + 1] = raw.length & 0xff;
  out.set(raw, DIGEST_BYTES + 2);
  return out;
}

/**
 * Numbers: a sign class byte, then for positives the biased exponent and the digits (+1 each);
 * negatives invert both and end with a byte above every inverted digit, so -1.2 > -1.23.
 */
function numberBytes(text: string): Uint8Array {
  const value = parseDecimal(text);
  if (!value.digits) return new Uint8Array([0x80]);
  const leading = value.exponent + value.digits.length - 1;
  const digits = Array.from(value.digits, (d) => d.charCodeAt(0) - 48);
  if (!value.negative) return new Uint8Array([0x81, leading + 130, ...digits.map((d) => d + 1)]);
  return new Uint8Array([0x7f, 255 - (leading + 130), ...digits.map((d) => 10 - d), 0xff]);
}

export function sortKeyBytes(type: KeyType, value: AttributeValue): Uint8Array {
  return type === 'N' ? numberBytes((value as { N: string }).N) : scalarBytes(type, value);
}

export function encodeItemKey(shape: KeyShape, item: Item): Uint8Array {
  const prefix = partitionPrefix(shape, own(item, shape.hash.name)!);
  if (!shape.range) return prefix;
  const sort = sortKeyBytes(shape.range.type, own(item, shape.range.name)!);
  const out = new Uint8Array(prefix.length + sort.length);
  out.set(prefix, 0);
  out.set(sort, prefix.length);
  return out;
}

/** The smallest byte string above every string that starts with `bytes` (undefined: none). */
export function prefixUpperBound(bytes: Uint8Array): Uint8Array | undefined {
  for (let i = bytes.length - 1; i >= 0; i -= 1) {
    if (bytes[i] !== 0xff) {
      const out = bytes.slice(0, i + 1);
      out[i] += 1;
      return out;
    }
  }
  return undefined;
}

/**
 * Segment i of n covers the partitions whose digest's first 12 bits lie in
 * [ceil(4096·i/n), ceil(4096·(i+1)/n)): the split DynamoDB's parallel Scan segments show.
 */
export function segmentBounds(segment: number, totalSegments: number): { start: Uint8Array; end?: Uint8Array } {
  const boundary = (index: number): Uint8Array => {
    const out = new Uint8Array(2);
    new DataView(out.buffer).setUint16(0, Math.ceil((4096 * index) / totalSegments) << 4);
    return out;
  };
  return { start: boundary(segment), ...(segment + 1 < totalSegments ? { end: boundary(segment + 1) } : {}) };
}
