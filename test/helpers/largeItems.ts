/**
 * The largest valid items: for each shape, the item grown until one more element would pass
 * DynamoDB's 400 KB limit as this project counts it (core/values.ts itemSize). `variant` changes
 * every value, so an overwrite replaces the item with another of the same size.
 */
import type { AttributeValue, Item, Version } from '../../src/core/types.js';
import { itemSize } from '../../src/core/values.js';

export const MAX_ITEM_BYTES = 400 * 1024;

const define = (target: Record<string, unknown>, name: string, value: unknown): void => {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
};

/** Bytes that differ by variant and position, as base64; different salts (below 2^32) give different bytes when length ≥ 4. */
function bytes(length: number, variant: number, salt = 0): string {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += 1) out[i] = (i * 31 + variant * 7 + salt * 13) & 0xff;
  if (length >= 4) out.writeUInt32BE(salt >>> 0, 0);
  return out.toString('base64');
}

/** The largest n for which make(n) fits the limit (make grows with n). */
function largest(make: (n: number) => Item): Item {
  let low = 1;
  let high = 1;
  while (itemSize(make(high)) <= MAX_ITEM_BYTES) high *= 2;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (itemSize(make(middle)) <= MAX_ITEM_BYTES) low = middle;
    else high = middle;
  }
  return make(low);
}

const SMALL_VALUES = (i: number, variant: number): AttributeValue[] => [
  { S: `${variant}` }, { N: `${i % 1000}` }, { BOOL: (i + variant) % 2 === 0 }, { NULL: true }, { B: bytes(1, variant, i) }, { S: '' },
];

type Shape = (pk: Item, variant: number, n: number) => Item;

/** Each shape grows with n. */
const SHAPES: Record<string, Shape> = {
  string: (pk, variant, n) => ({ ...pk, s: { S: String.fromCharCode(97 + (variant % 26)).repeat(n) } }),
  binary: (pk, variant, n) => ({ ...pk, b: { B: bytes(n, variant) } }),
  'string set': (pk, variant, n) => ({ ...pk, ss: { SS: Array.from({ length: n }, (_, i) => `${variant}-${i}-${'s'.repeat(90)}`) } }),
  'number set': (pk, variant, n) => ({ ...pk, ns: { NS: Array.from({ length: n }, (_, i) => `${variant + 1}${String(i).padStart(37, '0')}`) } }),
  'binary set': (pk, variant, n) => ({ ...pk, bs: { BS: Array.from({ length: n }, (_, i) => bytes(1000, variant, i)) } }),
  // Numbers of magnitude 1E-130 are stored as 132 characters for 2 bytes of item size.
  'list of tiny numbers': (pk, variant, n) => ({ ...pk, l: { L: Array.from({ length: n }, (_, i) => ({ N: `${(i + variant) % 9 + 1}E-${100 + (i % 31)}` })) } }),
  'list of small values': (pk, variant, n) => ({ ...pk, l: { L: Array.from({ length: n }, (_, i) => SMALL_VALUES(i, variant)[i % 6]) } }),
  map: (pk, variant, n) => ({ ...pk, m: { M: Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, { S: `${variant}` }])) } }),
  'many attributes': (pk, variant, n) => {
    const item: Item = { ...pk };
    for (let i = 0; i < n; i += 1) define(item, `a${i}`, { N: `${i + variant}` });
    return item;
  },
  // DynamoDB allows 32 levels: the top-level value is level 1.
  'nested 32 deep': (pk, variant, n) => {
    let value: AttributeValue = { S: `${variant}`.repeat(n) };
    for (let level = 31; level >= 1; level -= 1) value = level % 2 ? { M: { [`level${level}`]: value, [`b${level}`]: { B: bytes(8, variant, level) } } } : { L: [value, { N: `${level}` }] };
    return { ...pk, deep: value };
  },
};

export const LARGE_ITEM_SHAPES = Object.keys(SHAPES);

/** The item of one shape, as large as it may be, keyed `pk` = `<key>`. */
export function largestItem(shape: string, key: string, variant: number): Item {
  const pk = { pk: { S: key } };
  return largest((n) => SHAPES[shape](pk, variant, n));
}

/** One item per shape, each as large as it may be. */
export function largestItems(key: string, variant: number): Record<string, Item> {
  return Object.fromEntries(LARGE_ITEM_SHAPES.map((shape) => [shape, largestItem(shape, key, variant)]));
}

/** Every name of 1 to 3 bytes of UTF-8, shortest first: the most attributes one item can have. */
function shortNames(): string[] {
  const names: string[] = [];
  for (let a = 0; a < 128; a += 1) names.push(String.fromCharCode(a));
  for (let a = 0; a < 128; a += 1) for (let b = 0; b < 128; b += 1) names.push(String.fromCharCode(a, b));
  for (let c = 0x80; c < 0x800; c += 1) names.push(String.fromCharCode(c));
  for (let a = 0; a < 128; a += 1) for (let b = 0; b < 128; b += 1) for (let c = 0; c < 16; c += 1) names.push(String.fromCharCode(a, b, 48 + c));
  return names;
}

/** As many top-level attributes as fit, each with a value counted 0 bytes. */
export function mostAttributes(value: AttributeValue): Item {
  const item: Item = { k: { S: 'k' } };
  let size = itemSize(item);
  const valueSize = itemSize({ x: value }) - 1;
  for (const name of shortNames()) {
    if (name === 'k') continue;
    const add = Buffer.byteLength(name) + valueSize;
    if (size + add > MAX_ITEM_BYTES) break;
    define(item, name, value);
    size += add;
  }
  return item;
}

/** Per-attribute bookkeeping for `item` where every attribute was set by a write of its own (the most distinct versions). */
export function distinctVersions(item: Item, keyName: string): { versions: Record<string, Version>; values: Item; floor: Version; live: Version } {
  const versions: Record<string, Version> = {};
  const values: Item = {};
  let i = 0;
  for (const name of Object.keys(item)) {
    if (name === keyName) continue;
    define(versions, name, { ts: 1_795_372_800_000 + i, counter: 70_000 + i, region: i % 2 ? 'ap-southeast-2' : 'us-east-1' });
    define(values, name, item[name]);
    i += 1;
  }
  return { versions, values, floor: { ts: 1, counter: 0, region: 'us-east-1' }, live: { ts: 1_795_372_900_000, counter: 0, region: 'us-east-1' } };
}
