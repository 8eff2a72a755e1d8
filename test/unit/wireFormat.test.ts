/** The change message on the wire: schema version 3 (msgpack, a group of changes) written and read back, versions 2 and 1 still read, and its size bounded. */
import { unpack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, UnreadableChangeMessageError, type ChangeMessageV1 } from '../../src/bus/wire.js';
import { encodeGroup, encodeGroupEntry, encodeSingleChange, shortNumber } from '../../src/bus/wireEncode.js';
import { decodeMessage } from '../../src/bus/wireDecode.js';
import { NATS_MAX_PAYLOAD_BYTES, PUBLISH_HEADER_ALLOWANCE_BYTES, WORST_CASE_CHANGE_MESSAGE_BYTES } from '../../src/bus/wireLimits.js';
import type { Item, Version } from '../../src/core/types.js';
import { normalizeNumber } from '../../src/core/decimal.js';
import { itemSize, normalizeItem } from '../../src/core/values.js';
import type { ChangeRecord } from '../../src/storage/store.js';
import { distinctVersions, largestItems, MAX_ITEM_BYTES, mostAttributes } from '../helpers/largeItems.js';

const version = (ts: number, region = 'us-east-1', counter = 0): Version => ({ ts, counter, region });
const b64 = (...bytes: number[]): string => Buffer.from(bytes).toString('base64');

const change = (newImage: Item | undefined, extra: Partial<ChangeRecord> = {}): ChangeRecord => ({
  lsn: 7, table: 'orders', eventName: newImage ? 'MODIFY' : 'REMOVE', keys: { pk: { S: 'a' } },
  ...(newImage ? { newImage } : {}), oldImage: { pk: { S: 'a' }, old: { S: 'x'.repeat(1000) } },
  version: version(1_795_372_800_123, 'us-east-1', 2), prevVersion: version(1_795_372_790_001), origin: 'eu-west-1', commitTimeMs: 1_795_372_800_125, ...extra,
});

/** Every type, numbers as the region stores them (normalized), and names that are prototype keys. */
const everyType: Item = normalizeItem({
  pk: { S: 'a' },
  s: { S: 'héllo' }, empty: { S: '' }, n: { N: '-12.5' }, tiny: { N: '1E-130' }, huge: { N: '-9E+125' },
  b: { B: b64(0, 1, 2, 255) }, emptyB: { B: '' }, t: { BOOL: true }, nil: { NULL: true },
  ss: { SS: ['x', 'y'] }, ns: { NS: ['1', '1E+100', '0.5'] }, bs: { BS: [b64(1), b64(2, 3)] },
  l: { L: [{ S: 'a' }, { B: b64(9) }, { L: [{ N: '1E-120' }] }, { M: { __proto__x: { NULL: true } } }] },
  m: { M: { inner: { BS: [b64(7)] }, constructor: { S: 'c' }, hasOwnProperty: { N: '1' } } },
  // The name msgpackr would give `__proto__`, next to it.
  __proto_: { S: 'one underscore' },
});
Object.defineProperty(everyType, '__proto__', { value: { M: { __proto__: { S: 'nested' } } }, enumerable: true, writable: true, configurable: true });
Object.defineProperty((everyType.__proto__ as { M: Item }).M, '__proto__', { value: { S: 'nested' }, enumerable: true, writable: true, configurable: true });

/** One change as the publisher sends it alone: a group of one. */
const encodeChange = (region: string, one: ChangeRecord): Uint8Array => encodeGroup({ region, origin: one.origin, table: one.table, ownCount: 1_000_000 }, [encodeGroupEntry(one)]);
const decodeChangeMessage = (bytes: Uint8Array) => {
  const { changes } = decodeMessage(bytes);
  expect(changes).toHaveLength(1);
  return changes[0];
};
/** The change of a group of one, as it is on the wire. */
const rawChange = (bytes: Uint8Array): Record<string, Record<string, Record<string, unknown>>> => (unpack(bytes) as { changes: Record<string, Record<string, Record<string, unknown>>>[] }).changes[0];

describe('change messages, schema version 3', () => {
  it('reads back exactly what was written, every type and any attribute name', () => {
    const message = decodeChangeMessage(encodeChange('us-east-1', change(everyType, { service: true })));
    expect(message).toEqual({
      schemaVersion: 3, eventName: 'MODIFY', table: 'orders', keys: { pk: { S: 'a' } }, newImage: everyType, region: 'us-east-1', origin: 'eu-west-1',
      version: version(1_795_372_800_123, 'us-east-1', 2), prevVersion: version(1_795_372_790_001), lsn: 7, commitTimeMs: 1_795_372_800_125, service: true,
    });
    expect(Object.keys(message.newImage!)).toEqual(expect.arrayContaining(['__proto__', '__proto_']));
    expect(Object.getPrototypeOf(message.newImage)).toBe(Object.prototype);
    expect((message.newImage!.__proto__ as { M: Item }).M).toEqual(Object.defineProperty({}, '__proto__', { value: { S: 'nested' }, enumerable: true }));
  });

  it('is plain msgpack: binary as bin, long numbers in exponent form, no old image', () => {
    const bytes = encodeChange('us-east-1', change(everyType));
    expect((unpack(bytes) as { schemaVersion: number }).schemaVersion).toBe(SCHEMA_VERSION);
    const raw = rawChange(bytes);
    expect(raw).not.toHaveProperty('oldImage');
    expect(raw.newImage.b.B).toBeInstanceOf(Uint8Array);
    expect([...(raw.newImage.b.B as Uint8Array)]).toEqual([0, 1, 2, 255]);
    expect((raw.newImage.bs.BS as Uint8Array[]).map((x) => [...x])).toEqual([[1], [2, 3]]);
    expect(raw.newImage.tiny).toEqual({ N: '1E-130' });
    expect(raw.newImage.n).toEqual({ N: '-12.5' });
    expect(raw.newImage.ns).toEqual({ NS: ['1', '1E+100', '0.5'] });
  });

  it('sends each distinct attribute version once, and the values only when they are not the new image', () => {
    const newImage: Item = { pk: { S: 'a' }, x: { N: '1' }, y: { B: b64(5) } };
    const attributes = {
      versions: { x: version(5, 'eu-west-1'), y: version(5, 'eu-west-1'), gone: version(6, 'ap-southeast-2') },
      values: { x: { N: '1' }, y: { B: b64(5) } },
      floor: version(2), live: version(6, 'ap-southeast-2'),
    };
    const bytes = encodeChange('us-east-1', change(newImage, { attributes }));
    const raw = rawChange(bytes) as { attributes: Record<string, unknown> };
    expect(raw.attributes).toEqual({
      regions: ['eu-west-1', 'ap-southeast-2', 'us-east-1'],
      versionTable: [[5, 0, 0], [6, 0, 1], [2, 0, 2]],
      versions: { x: 0, y: 0, gone: 1 }, floor: 2, live: 1,
    });
    expect(decodeChangeMessage(bytes).attributes).toEqual(attributes);
    // Values that are not the new image's (they never are): sent as they are.
    const odd = { ...attributes, values: { x: { N: '2' } } };
    const oddBytes = encodeChange('us-east-1', change(newImage, { attributes: odd }));
    expect((rawChange(oddBytes) as unknown as { attributes: { values: unknown } }).attributes.values).toEqual({ x: { N: '2' } });
    expect(decodeChangeMessage(oddBytes).attributes).toEqual(odd);
    // Prototype names as attributes: each keeps its version and its value.
    const proto = (value: unknown): Record<string, never> => Object.defineProperty({}, '__proto__', { value, enumerable: true, writable: true, configurable: true });
    const protoImage = { pk: { S: 'a' }, ...proto({ S: 'p' }) } as Item;
    const protoAttributes = { versions: proto(version(7)), values: proto({ S: 'p' }), live: version(7) };
    const protoMessage = decodeChangeMessage(encodeChange('us-east-1', change(protoImage, { attributes: protoAttributes })));
    expect(Object.keys(protoMessage.attributes!.versions)).toEqual(['__proto__']);
    expect(Object.keys(protoMessage.newImage!)).toEqual(['pk', '__proto__']);
    expect(protoMessage.attributes).toEqual(protoAttributes);
    // A tombstone's state: no new image and no values.
    const removed = { versions: {}, values: {}, floor: version(9) };
    expect(decodeChangeMessage(encodeChange('us-east-1', change(undefined, { attributes: removed }))).attributes).toEqual(removed);
  });

  it('writes a number in exponent form only when that is shorter and reads back as the stored text', () => {
    expect(shortNumber('0.' + '0'.repeat(129) + '1')).toBe('1E-130');
    expect(shortNumber('-' + '12' + '0'.repeat(100))).toBe('-12E+100');
    expect(shortNumber('123456789012.5')).toBe('123456789012.5');
    expect(shortNumber('0.00000000000000123')).toBe('123E-17');
    expect(shortNumber('1000')).toBe('1000');
    // Every magnitude DynamoDB allows, with short and long mantissas, either sign.
    const numbers: string[] = [];
    for (const mantissa of ['1', '7', '12', '10203', '123456789', '12345678901234567890123456789012345678']) {
      for (let exponent = -130 - mantissa.length + 1; exponent <= 125 - mantissa.length + 1; exponent += 3) {
        for (const sign of ['', '-']) numbers.push(normalizeNumber(`${sign}${mantissa}E${exponent}`));
      }
    }
    const item = { pk: { S: 'a' }, ns: { NS: numbers }, l: { L: numbers.map((N) => ({ N })) } };
    const back = decodeChangeMessage(encodeChange('us-east-1', change(item))).newImage;
    expect(back).toEqual(item);
    expect(numbers.filter((n) => shortNumber(n) !== n).length).toBeGreaterThan(numbers.length / 2);
  });
});

describe('a group of changes', () => {
  it('names its region, origin, table and own count once, and carries its changes in order', () => {
    const changes = [7, 8, 9].map((lsn) => change(lsn === 8 ? undefined : { pk: { S: 'a' }, n: { N: String(lsn) } }, { lsn }));
    const bytes = encodeGroup({ region: 'us-east-1', origin: 'eu-west-1', table: 'orders', ownCount: 41 }, changes.map(encodeGroupEntry));
    const raw = unpack(bytes) as Record<string, unknown> & { changes: Record<string, unknown>[] };
    expect(Object.keys(raw)).toEqual(['schemaVersion', 'region', 'origin', 'table', 'ownCount', 'changes']);
    expect(raw).toMatchObject({ schemaVersion: 3, region: 'us-east-1', origin: 'eu-west-1', table: 'orders', ownCount: 41 });
    expect(raw.changes.map((c) => [c.lsn, c.eventName, 'region' in c, 'table' in c])).toEqual([[7, 'MODIFY', false, false], [8, 'REMOVE', false, false], [9, 'MODIFY', false, false]]);
    const read = decodeMessage(bytes);
    expect(read.ownCount).toBe(41);
    expect(read.changes.map((c) => [c.schemaVersion, c.lsn, c.region, c.origin, c.table, c.newImage?.n])).toEqual([
      [3, 7, 'us-east-1', 'eu-west-1', 'orders', { N: '7' }], [3, 8, 'us-east-1', 'eu-west-1', 'orders', undefined], [3, 9, 'us-east-1', 'eu-west-1', 'orders', { N: '9' }],
    ]);
  });

  it('writes every array length msgpack has a header for', () => {
    for (const count of [0, 15, 16, 65_535, 65_536]) {
      const entry = encodeGroupEntry(change(undefined, { lsn: 1 }));
      const read = decodeMessage(encodeGroup({ region: 'r', origin: 'r', table: 't', ownCount: count }, Array(count).fill(entry)));
      expect(read.changes).toHaveLength(count);
    }
  });
});

describe('change messages, schema version 2 (msgpack, one change), still in streams from before an upgrade', () => {
  it('reads them as before', () => {
    const read = decodeMessage(encodeSingleChange('us-east-1', change(everyType, { service: true })));
    expect(read.ownCount).toBeUndefined();
    expect(read.changes).toEqual([{
      schemaVersion: 2, eventName: 'MODIFY', table: 'orders', keys: { pk: { S: 'a' } }, newImage: everyType, region: 'us-east-1', origin: 'eu-west-1',
      version: version(1_795_372_800_123, 'us-east-1', 2), prevVersion: version(1_795_372_790_001), lsn: 7, commitTimeMs: 1_795_372_800_125, service: true,
    }]);
  });
});

describe('change messages, schema version 1 (JSON), still in streams from before an upgrade', () => {
  it('reads them as before', () => {
    const v1: ChangeMessageV1 = {
      schemaVersion: 1, eventID: 'us-east-1:3', eventName: 'REMOVE', table: 't', keys: { pk: { S: 'a' } }, oldImage: { pk: { S: 'a' }, b: { B: b64(1) } },
      region: 'us-east-1', origin: 'us-east-1', version: version(3), prevVersion: version(2), lsn: 3, commitTimeMs: 3000, ApproximateCreationDateTime: 3,
      userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
    };
    expect(decodeChangeMessage(new TextEncoder().encode(JSON.stringify(v1)))).toEqual({
      schemaVersion: 1, eventName: 'REMOVE', table: 't', keys: { pk: { S: 'a' } }, region: 'us-east-1', origin: 'us-east-1',
      version: version(3), prevVersion: version(2), lsn: 3, commitTimeMs: 3000, service: true,
    });
  });

  it('refuses anything else by name', () => {
    expect(() => decodeMessage(new TextEncoder().encode('{"schemaVersion":4}'))).toThrow(UnreadableChangeMessageError);
    expect(() => decodeMessage(new TextEncoder().encode('{"schemaVersion":3}'))).toThrow(UnreadableChangeMessageError);
    expect(() => decodeMessage(new Uint8Array([0xc1]))).toThrow(UnreadableChangeMessageError);
    expect(() => decodeMessage(new TextEncoder().encode('{"schemaVersion":1'))).toThrow(UnreadableChangeMessageError);
  });
});

describe('the size of one change message', () => {
  const overwrite = (newImage: Item, attributes?: ChangeRecord['attributes'], keyName = 'pk'): number => encodeChange('ap-southeast-2', {
    lsn: 1, table: 'a-table-name', eventName: 'MODIFY', keys: { [keyName]: newImage[keyName] }, newImage, oldImage: newImage,
    version: version(1_795_372_800_123, 'ap-southeast-2', 70_000), prevVersion: version(1_795_372_800_000), origin: 'ap-southeast-2', commitTimeMs: 1_795_372_800_125,
    ...(attributes ? { attributes } : {}),
  }).length;
  const fits = (bytes: number): void => {
    expect(bytes).toBeLessThanOrEqual(WORST_CASE_CHANGE_MESSAGE_BYTES);
    expect(bytes + PUBLISH_HEADER_ALLOWANCE_BYTES).toBeLessThanOrEqual(NATS_MAX_PAYLOAD_BYTES);
  };

  it('of a 399,000-byte binary item overwritten by another stays near the item size (it was 1.06 MB as JSON)', () => {
    const item = { pk: { S: 'k' }, b: { B: Buffer.alloc(399_000, 1).toString('base64') } };
    const bytes = overwrite(item);
    expect(bytes).toBeLessThan(400_000);
    expect(bytes).toBeLessThan(1024 * 1024);
  });

  it.each(Object.entries(largestItems('k', 1)))('of the largest %s item is within the bound', (_, item) => {
    expect(itemSize(item)).toBeLessThanOrEqual(MAX_ITEM_BYTES);
    fits(overwrite(item));
  });

  it.each([
    ['list of empty binary sets', { pk: { S: 'k' }, l: { L: Array.from({ length: MAX_ITEM_BYTES - 10 }, () => ({ BS: [''] })) } }, 'pk'],
    ['most attributes, empty binary sets', mostAttributes({ BS: [''] }), 'k'],
  ] as [string, Item, string][])('of the costliest item per byte (%s) is within the bound, at item granularity', (_, item, keyName) => {
    expect(itemSize(item)).toBeLessThanOrEqual(MAX_ITEM_BYTES);
    fits(overwrite(item, undefined, keyName));
  });

  it('of the item with the most attributes, each of its own version, is within the bound at attribute granularity', () => {
    const item = mostAttributes({ BS: [''] });
    const bytes = overwrite(item, distinctVersions(item, 'k'), 'k');
    // Close to the arithmetic in wireLimits.ts: the bound is not loose by much either.
    expect(bytes).toBeGreaterThan(WORST_CASE_CHANGE_MESSAGE_BYTES * 0.8);
    fits(bytes);
  }, 60_000);
});
