/** A key's history read from the change log newest-first: keys compared by value, bounds that say they stopped, a trimmed log's start. */
import { describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/clock/clock.js';
import type { Item } from '../../src/core/types.js';
import type { TableMeta } from '../../src/dynamo/tables.js';
import { HistoryKeyMismatchError, keyHistory } from '../../src/region/keyHistoryScan.js';
import { randomIds } from '../../src/region/randomIds.js';
import { createRegionCore } from '../../src/region/regionCore.js';
import { createMemoryStore } from '../../src/storage/memory.js';

const TABLE = 'numbers';

/** A table keyed by a number, and `count` changes cycling over keys 1, 2, 3 (key 1 written as "1.0"). */
async function regionWith(count: number) {
  const core = createRegionCore({ name: 'us-east-1', store: createMemoryStore(), clock: new SystemClock(), ids: randomIds });
  const meta = { id: 1, name: TABLE, keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], attributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }] };
  await core.ctx.store.write((txn) => {
    txn.putTable(TABLE, meta as unknown as TableMeta);
    for (let i = 0; i < count; i += 1) {
      const id = i % 3 === 0 ? '1.0' : String((i % 3) + 1);
      txn.appendChange({
        table: TABLE, eventName: 'MODIFY', keys: { id: { N: id } }, newImage: { id: { N: id }, i: { N: String(i) } },
        version: { ts: 1000 + i, counter: 0, region: 'us-east-1' }, origin: 'us-east-1', commitTimeMs: 1000 + i,
      });
    }
  });
  return core;
}

const keyOne: Item = { id: { N: '1' } };

describe('keyHistory', () => {
  it('finds a number key by its value, oldest first, reading the whole log when it is short', async () => {
    const { ctx, conflicts } = await regionWith(30);
    const history = (await keyHistory(ctx, conflicts, TABLE, keyOne))!;
    expect(history).toMatchObject({ region: 'us-east-1', table: TABLE, scanned: 30, truncated: false, conflicts: [] });
    expect(history.changes.map((c) => c.lsn)).toEqual([1, 4, 7, 10, 13, 16, 19, 22, 25, 28]);
  });

  it('stops at its bounds and says so, keeping the newest', async () => {
    const { ctx, conflicts } = await regionWith(5000);
    const scanBound = (await keyHistory(ctx, conflicts, TABLE, keyOne, { maxScanned: 3001, maxChanges: 1000 }))!;
    expect(scanBound).toMatchObject({ scanned: 3001, truncated: true });
    expect(scanBound.changes.at(-1)!.lsn).toBe(4999);
    // lsns 2000 to 5000 read: the first of key 1 among them (every third, from lsn 1) is 2002.
    expect(scanBound.changes[0].lsn).toBe(2002);
    const changeBound = (await keyHistory(ctx, conflicts, TABLE, keyOne, { maxScanned: 200_000, maxChanges: 5 }))!;
    expect(changeBound.changes.map((c) => c.lsn)).toEqual([4987, 4990, 4993, 4996, 4999]);
    expect(changeBound.truncated).toBe(true);
  });

  it('reaches the start of a trimmed log', async () => {
    const { ctx, conflicts } = await regionWith(5000);
    await ctx.store.trimChanges(4500);
    const history = (await keyHistory(ctx, conflicts, TABLE, keyOne))!;
    expect(history).toMatchObject({ scanned: 500, truncated: false });
    expect(history.changes[0].lsn).toBe(4501 + ((3 - (4500 % 3)) % 3));
  });

  it('answers undefined for a table it does not have, and refuses a key of another shape', async () => {
    const { ctx, conflicts } = await regionWith(1);
    expect(await keyHistory(ctx, conflicts, 'missing', keyOne)).toBeUndefined();
    await expect(keyHistory(ctx, conflicts, TABLE, { id: { S: '1' } })).rejects.toBeInstanceOf(HistoryKeyMismatchError);
    await expect(keyHistory(ctx, conflicts, TABLE, { id: { N: '1' }, x: { N: '1' } })).rejects.toBeInstanceOf(HistoryKeyMismatchError);
  });
});
