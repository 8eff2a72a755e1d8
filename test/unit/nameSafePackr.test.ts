import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { NameSafePackr } from '../../src/storage/nameSafePackr.js';
import { sortedJson } from '../helpers/rawApi.js';
import { propertyParameters } from '../helpers/seed.js';

const KEYS = ['a', '__proto__', '__proto_', '__proto___', '__proto____', 'constructor', 'toString', '__proto__x', '_proto__'];

/** Values shaped like stored records: objects keyed by names, arrays, strings, numbers, bytes. */
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.uint8Array({ maxLength: 4 }).map((b) => Buffer.from(b)),
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('node'), { maxKeys: 5 }),
  ),
})).node;

/** Own keys at every depth, so a key turned into a prototype (or renamed) shows. */
function shape(v: unknown): string {
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return `bytes(${Buffer.from(v).toString('hex')})`;
  if (Array.isArray(v)) return `[${v.map(shape).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return 'object with a foreign prototype';
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${shape((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

describe('NameSafePackr', () => {
  for (const options of [{ useRecords: false }, {}]) {
    it(`round-trips every key, __proto__ and its look-alikes included (${JSON.stringify(options)})`, () => {
      const packr = new NameSafePackr(options);
      fc.assert(fc.property(value, (original) => {
        expect(shape(packr.unpack(packr.pack(original)))).toBe(shape(original));
      }), propertyParameters('nameSafePackr round trip', 300));
    });
  }

  it('writes records without such keys exactly as msgpackr does, and reads msgpackr bytes', () => {
    const record = { item: { pk: { S: 'a' }, m: { M: { constructor: { N: '1' } } } }, version: { ts: 1, counter: 0, region: 'r' } };
    const plain = new Packr({ useRecords: false });
    const safe = new NameSafePackr({ useRecords: false });
    expect(Buffer.from(safe.pack(record)).equals(Buffer.from(plain.pack(record)))).toBe(true);
    expect(sortedJson(safe.unpack(plain.pack(record)))).toBe(sortedJson(record));
  });

  it('keeps __proto__ and __proto_ apart (msgpackr alone reads both as __proto_)', () => {
    const record = JSON.parse('{"__proto__":{"S":"p"},"__proto_":{"S":"q"}}');
    const plain = new Packr({ useRecords: false });
    expect(Object.keys(plain.unpack(plain.pack(record)))).toEqual(['__proto_']);
    const safe = new NameSafePackr({ useRecords: false });
    expect(sortedJson(safe.unpack(safe.pack(record)))).toBe(sortedJson(record));
  });
});
