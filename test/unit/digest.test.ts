/** A table's digest covers what the next merge depends on: items, versions, and attribute-level versions. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/clock.js';
import type { Version } from '../../src/core/types.js';
import { createRegionCore } from '../../src/region/regionCore.js';
import { randomIds } from '../../src/region/randomIds.js';
import { tableDigest } from '../../src/replication/digest.js';
import type { TableMeta } from '../../src/dynamo/tables.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import type { ItemRecord } from '../../src/storage/store.js';

const version = (ts: number, region = 'us-east-1'): Version => ({ ts, counter: 0, region });
const META = { id: 1, name: 'notes' } as TableMeta;

async function digestOf(record: ItemRecord): Promise<string> {
  const { ctx } = createRegionCore({ name: 'us-east-1', store: createMemoryStore(), clock: new ManualClock(), ids: randomIds });
  await ctx.store.write((txn) => txn.putItem(META.id, new Uint8Array([1, 2]), record));
  return tableDigest(ctx, META).digest;
}

describe('tableDigest', () => {
  const item = { id: { S: 'a' }, x: { N: '1' }, y: { N: '2' } };

  it('is equal for equal records', async () => {
    expect(await digestOf({ item, version: version(20), origin: 'us-east-1', writtenAtMs: 20 }))
      .toBe(await digestOf({ item, version: version(20), origin: 'us-east-1', writtenAtMs: 20 }));
  });

  it('differs when only the attribute-level versions differ', async () => {
    const base = { item, version: version(20), origin: 'us-east-1', writtenAtMs: 20 };
    const one = await digestOf({ ...base, attributes: { versions: { x: version(10), y: version(20) }, values: {} } });
    const other = await digestOf({ ...base, attributes: { versions: { x: version(20), y: version(20) }, values: {} } });
    expect(one).not.toBe(other);
  });

  it('differs when the item\'s version differs', async () => {
    expect(await digestOf({ item, version: version(20), origin: 'us-east-1', writtenAtMs: 20 }))
      .not.toBe(await digestOf({ item, version: version(21), origin: 'us-east-1', writtenAtMs: 20 }));
  });

  it('leaves out a delete floor below every register (a purged tombstone met by the write that recreated the item), and only that', async () => {
    const base = { item, version: version(20), origin: 'us-east-1', writtenAtMs: 20 };
    const registers = { versions: { x: version(20), y: version(20) }, values: {}, live: version(20) };
    const afresh = await digestOf({ ...base, attributes: registers });
    expect(await digestOf({ ...base, attributes: { ...registers, floor: version(5) } })).toBe(afresh);
    // A floor at a register's version, or with no liveness (a tombstone), still counts.
    expect(await digestOf({ ...base, attributes: { ...registers, floor: version(20) } })).not.toBe(afresh);
    expect(await digestOf({ ...base, attributes: { versions: {}, values: {}, floor: version(5) } }))
      .not.toBe(await digestOf({ ...base, attributes: { versions: {}, values: {} } }));
  });
});
