/**
 * What a purge leaves behind: the table's floor (the newest purged tombstone's version), above which
 * a write to a key with no record is stamped even when its clock runs behind; a replicated write
 * below it to such a key, counted as a possible resurrection; and a global table's tombstones kept
 * past their age until the stability round says every replica holds them.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/clock.js';
import { encodeItemKey } from '../../src/core/keys.js';
import type { Version } from '../../src/core/types.js';
import { initialClockState } from '../../src/core/version.js';
import { DEFAULT_SETTINGS, type RegionContext } from '../../src/dynamo/context.js';
import { dispatch } from '../../src/dynamo/dispatch.js';
import type { OperationOptions } from '../../src/dynamo/forcedTimestamp.js';
import { operations } from '../../src/dynamo/ops/index.js';
import { keyShapeOf, type TableMeta } from '../../src/dynamo/tables.js';
import { purgeTombstones } from '../../src/region/tombstoneRetention.js';
import { applyChanges } from '../../src/replication/apply.js';
import { ConflictLog } from '../../src/replication/conflicts.js';
import { tombstoneCounts } from '../../src/replication/tombstoneCounts.js';
import type { TombstoneStability } from '../../src/replication/tombstoneStability.js';
import { createMemoryStore } from '../../src/storage/memory.js';

const START_MS = 1_700_000_000_000;
const RETENTION_MS = 1000;
const HERE = 'us-east-1';

let clock: ManualClock;
let ctx: RegionContext;

async function ok(operation: string, body: object, options?: OperationOptions): Promise<void> {
  const result = await dispatch(ctx, operations, operation, new TextEncoder().encode(JSON.stringify(body)), options);
  expect(result.status, JSON.stringify(result.body)).toBe(200);
}

const meta = (): TableMeta => ctx.store.read((txn) => txn.getTable<TableMeta>('carts')!);
const versionOf = (pk: string): Version | undefined => ctx.store.read((txn) => txn.getItem(meta().id, encodeItemKey(keyShapeOf(meta()), { pk: { S: pk } }))?.version);
const put = (pk: string, options?: OperationOptions) => ok('PutItem', { TableName: 'carts', Item: { pk: { S: pk } } }, options);
const del = (pk: string, options?: OperationOptions) => ok('DeleteItem', { TableName: 'carts', Key: { pk: { S: pk } } }, options);

beforeEach(async () => {
  clock = new ManualClock(START_MS);
  ctx = {
    region: HERE, accountId: '000000000000', store: createMemoryStore(), clock, clockState: initialClockState(HERE, 'wall'),
    ids: { uuid: () => '00000000-0000-4000-8000-000000000001' }, settings: { ...DEFAULT_SETTINGS, tombstoneRetentionMs: RETENTION_MS }, granularity: 'item',
  };
  await ok('CreateTable', {
    TableName: 'carts', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  });
});

describe('after a purge', () => {
  it('stamps a write to a forgotten key above the newest purged tombstone, though the wall clock is behind it', async () => {
    const deleteTs = START_MS + 60 * 60 * 1000;
    await put('a');
    await del('a', { timestampMs: deleteTs });
    clock.advance(RETENTION_MS + 1);
    expect(await purgeTombstones(ctx)).toBe(1);
    expect(versionOf('a')).toBeUndefined();
    expect(meta().purgedVersion).toEqual({ ts: deleteTs, counter: 0, region: HERE });
    expect(tombstoneCounts(ctx)).toEqual({ purged: 1, possibleResurrections: 0 });

    await put('a');
    expect(versionOf('a')?.ts, 'above the floor, not the clock').toBe(deleteTs + 1);
    // Any key without a record: the floor cannot tell which keys the purged tombstones had.
    await put('c');
    expect(versionOf('c')?.ts).toBe(deleteTs + 1);
  });

  it('counts a replicated write older than the floor to a key with no record as a possible resurrection', async () => {
    await put('a');
    await del('a');
    clock.advance(RETENTION_MS + 1);
    await purgeTombstones(ctx);
    await ctx.store.write((txn) => txn.putTable('carts', { ...meta(), replicas: { [HERE]: 'ACTIVE', 'eu-west-1': 'ACTIVE' } }));
    const incoming = (pk: string, ts: number) => ({
      lsn: ts, table: 'carts', keys: { pk: { S: pk } }, state: { item: { pk: { S: pk } }, version: { ts, counter: 0, region: 'eu-west-1' }, origin: 'eu-west-1', writtenAtMs: ts },
    });
    const conflicts = new ConflictLog((fn) => ctx.store.read(fn));
    await ctx.store.write((txn) => applyChanges(ctx, txn, conflicts, [incoming('a', START_MS - 1), incoming('b', START_MS + 10 * RETENTION_MS)]));
    expect(tombstoneCounts(ctx)).toEqual({ purged: 1, possibleResurrections: 1 });
  });

  it('keeps a global table\'s tombstone past its age until the stability round covers it', async () => {
    await ctx.store.write((txn) => txn.putTable('carts', { ...meta(), replicas: { [HERE]: 'ACTIVE', 'eu-west-1': 'ACTIVE' } }));
    await put('a');
    await del('a');
    const stability = { stableBeforeMs: 0 } as TombstoneStability;
    clock.advance(10 * RETENTION_MS);
    expect(await purgeTombstones(ctx, stability)).toBe(0);
    (stability as { stableBeforeMs: number }).stableBeforeMs = START_MS;
    expect(await purgeTombstones(ctx, stability), 'stored at the round\'s start, not before it').toBe(0);
    (stability as { stableBeforeMs: number }).stableBeforeMs = START_MS + 1;
    expect(await purgeTombstones(ctx, stability)).toBe(1);
  });
});
