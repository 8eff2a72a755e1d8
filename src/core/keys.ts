/**
 * Storage keys whose byte order is DynamoDB's order. An item key is the partition prefix
 * (8 hash bytes + length + the partition value, so one partition is contiguous and scans visit
 * partitions in hash order, as DynamoDB does) followed by an order-preserving sort key.
 */
import { decodeBase64 } from './base64.js';
import { parseDecimal } from './decimal.js';
import { own } from './plainData.js';
import type { AttributeValue, Item, KeyShape, KeyType } from './types.js';

const encoder = new TextEncoder();

export function compareBytes(a: Uint8Array, b: Uint8Array): -1 | 0 | 1 {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** The bytes DynamoDB orders a scalar by (and hashes a partition key by). */
export function scalarBytes(type: KeyType, value: AttributeValue): Uint8Array {
  if (type === 'S') return encoder.encode((value as { S: string }).S);
  if (type === 'B') return decodeBase64((value as { B: string }).B);
  return encoder.encode((value as { N: string }).N);
}

/** 32-bit murmur3; two seeds give the 64 bits that keep partition collisions negligible. */
function murmur32(bytes: Uint8Array, seed: number): number {
  let h = seed >>> 0;
  const blocks = bytes.length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  switch (bytes.length & 3) {
    case 3: k ^= bytes[blocks + 2] << 16; // falls through
    case 2: k ^= bytes[blocks + 1] << 8; // falls through
    case 1:
      k ^= bytes[blocks];
      k = Math.imul(k, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      h ^= Math.imul(k, 0x1b873593);
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function partitionPrefix(shape: KeyShape, hashValue: AttributeValue): Uint8Array {
  const raw = scalarBytes(shape.hash.type, hashValue);
  const out = new Uint8Array(10 + raw.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, murmur32(raw, 0x9747b28c));
  view.setUint32(4, murmur32(raw, 0x5bd1e995));
  view.setUint16(8, raw.length);
  out.set(raw, 10);
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

/** Segment i of n covers a contiguous share of the 32-bit hash space. */
export function segmentBounds(segment: number, totalSegments: number): { start: Uint8Array; end?: Uint8Array } {
  const boundary = (index: number): Uint8Array => {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, Math.floor((index * 0x1_0000_0000) / totalSegments));
    return out;
  };
  return { start: boundary(segment), ...(segment + 1 < totalSegments ? { end: boundary(segment + 1) } : {}) };
}
