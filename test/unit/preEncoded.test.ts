import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import type { ChangeMessage } from '../../src/bus/wire.js';
import { decodeBatch, encodeBatch, incomingOf, stateOf } from '../../src/replication/incoming.js';
import { decodeRecord, RecordArena, spliceChange } from '../../src/storage/preEncoded.js';

const version = (ts: number, region = 'us-east-1') => ({ ts, counter: 0, region });

const message = (n: number, extra: Partial<ChangeMessage> = {}): ChangeMessage => ({
  schemaVersion: 2, eventName: 'INSERT', table: 't', keys: { pk: { S: `k${n}` } },
  newImage: { pk: { S: `k${n}` }, n: { N: String(n) }, m: { M: { é: { L: [{ BOOL: true }, { NULL: true }] } } } },
  region: 'us-east-1', origin: 'us-east-1', version: version(n), lsn: n, commitTimeMs: 1000 + n, ...extra,
});

describe('records encoded ahead of their write', () => {
  it('an arena holds records one after another, a shared value encoded once for several of them', () => {
    const arena = new RecordArena(16);
    const item = { pk: { S: 'a' }, big: { S: 'x'.repeat(300) } };
    arena.share(item);
    const first = arena.append({ version: version(1) }, 'item');
    const second = arena.append({ table: 't' }, 'newImage');
    const third = arena.append({ item: null, origin: 'r' });
    const records = arena.take();
    expect(records.length).toBe(third);
    expect(decodeRecord(records.subarray(0, first))).toEqual({ version: version(1), item });
    expect(decodeRecord(records.subarray(first, second))).toEqual({ table: 't', newImage: item });
    expect(decodeRecord(records.subarray(second, third))).toEqual({ item: null, origin: 'r' });
  });

  it('a change record spliced from its head and an encoded tail reads as the whole record', () => {
    const packr = new Packr({ useRecords: false });
    const tail = packr.pack({ table: 't', keys: { pk: { S: 'a' } }, newImage: { pk: { S: 'a' } }, version: version(2), origin: 'eu-west-1' }).slice();
    const head = { eventName: 'MODIFY' as const, oldImage: { pk: { S: 'a' }, v: { N: '1' } }, prevVersion: version(1), commitTimeMs: 5 };
    expect(decodeRecord(spliceChange(head, tail))).toEqual({
      eventName: 'MODIFY', oldImage: { pk: { S: 'a' }, v: { N: '1' } }, prevVersion: version(1), commitTimeMs: 5,
      table: 't', keys: { pk: { S: 'a' } }, newImage: { pk: { S: 'a' } }, version: version(2), origin: 'eu-west-1',
    });
    // Absent head fields are left out, not written as undefined.
    expect(decodeRecord(spliceChange({ eventName: 'INSERT', commitTimeMs: 6 }, tail))).not.toHaveProperty('oldImage');
    expect(() => spliceChange({ eventName: 'INSERT', commitTimeMs: 6 }, new Uint8Array([0x81, 0xa1, 0x61, 0x01]))).toThrow(/16-bit maps/);
  });

  it('a batch crosses as changes whose state and change-record tail read back as the messages say', () => {
    const messages = [
      message(1),
      message(2, { prevVersion: version(1), attributes: { versions: { n: version(2) }, values: { n: { N: '2' } }, live: version(2) } }),
      // A delete: the state is a tombstone and the tail has no new image.
      message(3, { eventName: 'REMOVE', newImage: undefined }),
    ];
    const { changes, records } = encodeBatch(messages);
    const decoded = decodeBatch(changes, records);
    expect(decoded.map(({ lsn, table, keys, state }) => ({ lsn, table, keys, state }))).toEqual(messages.map(incomingOf));
    decoded.forEach((change, i) => {
      const m = messages[i];
      expect(decodeRecord(change.encoded!.state)).toEqual(stateOf(m));
      expect(decodeRecord(change.encoded!.tail)).toEqual({
        table: m.table, keys: m.keys, version: m.version, origin: m.origin,
        ...(m.newImage ? { newImage: m.newImage } : {}), ...(m.attributes ? { attributes: m.attributes } : {}),
      });
    });
  });
});
