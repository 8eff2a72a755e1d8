/**
 * A forced timestamp is a parameter of one write: that write's versions carry it, and nothing else
 * the region commits does — not the next request, not a TTL delete, not a replicated change, and
 * not a write that failed. Dispatch bounds it (an integer from 0 to true time + a day), and in hlc
 * mode the clock still never goes backwards. Runs the operations through dispatch on an in-memory
 * store and a manual clock, so every timestamp is exact.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/clock.js';
import { encodeItemKey } from '../../src/core/keys.js';
import type { Item, Version } from '../../src/core/types.js';
import { initialClockState, MAX_CLOCK_SKEW_MS, type ClockMode } from '../../src/core/version.js';
import { DEFAULT_SETTINGS, type RegionContext } from '../../src/dynamo/context.js';
import { dispatch, type DispatchResult } from '../../src/dynamo/dispatch.js';
import { FORCED_TIMESTAMP_HEADER, type OperationOptions } from '../../src/dynamo/forcedTimestamp.js';
import { operations } from '../../src/dynamo/ops/index.js';
import { keyShapeOf, type TableMeta } from '../../src/dynamo/tables.js';
import { sweepExpiredItems } from '../../src/dynamo/ttl.js';
import { emptyTally, mergeIncoming } from '../../src/replication/apply.js';
import { ConflictLog } from '../../src/replication/conflicts.js';
import { createMemoryStore } from '../../src/storage/memory.js';

const START_MS = 1_700_000_000_000;
const HOUR_MS = 60 * 60 * 1000;

let clock: ManualClock;
let ctx: RegionContext;

function regionContext(mode: ClockMode): RegionContext {
  let idSeq = 0;
  clock = new ManualClock(START_MS);
  return {
    region: 'us-east-1',
    accountId: '000000000000',
    store: createMemoryStore(),
    clock,
    clockState: initialClockState('us-east-1', mode),
    ids: { uuid: () => `00000000-0000-4000-8000-${String(idSeq += 1).padStart(12, '0')}` },
    settings: DEFAULT_SETTINGS,
    granularity: 'item',
  };
}

async function call(operation: string, body: object, options?: OperationOptions): Promise<DispatchResult> {
  return dispatch(ctx, operations, operation, new TextEncoder().encode(JSON.stringify(body)), options);
}

async function ok(operation: string, body: object, options?: OperationOptions): Promise<Record<string, unknown>> {
  const result = await call(operation, body, options);
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body;
}

async function createTable(name: string): Promise<void> {
  await ok('CreateTable', {
    TableName: name, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  });
}

function tableMeta(table: string): TableMeta {
  return ctx.store.read((txn) => txn.getTable<TableMeta>(table)!);
}

/** The version stored for a key (a tombstone's too). */
function versionOf(table: string, pk: string): Version | undefined {
  const meta = tableMeta(table);
  return ctx.store.read((txn) => txn.getItem(meta.id, encodeItemKey(keyShapeOf(meta), { pk: { S: pk } }))?.version);
}

const put = (pk: string, options?: OperationOptions, extra: Item = {}) => call('PutItem', { TableName: 'one', Item: { pk: { S: pk }, ...extra } }, options);

describe('a forced timestamp, wall clock', () => {
  beforeEach(async () => {
    ctx = regionContext('wall');
    await createTable('one');
    await createTable('two');
  });

  it('stamps the write it came with, and only that one: the next write uses the clock', async () => {
    expect((await put('a', { timestampMs: 1_000 })).status).toBe(200);
    expect(versionOf('one', 'a')).toEqual({ ts: 1_000, counter: 0, region: 'us-east-1' });
    clock.advance(5);
    expect((await put('b')).status).toBe(200);
    expect(versionOf('one', 'b')).toEqual({ ts: START_MS + 5, counter: 0, region: 'us-east-1' });
    expect((await put('a', undefined, { n: { N: '2' } })).status).toBe(200);
    expect(versionOf('one', 'a')?.ts).toBe(START_MS + 5);
  });

  it('is carried by UpdateItem and DeleteItem', async () => {
    await ok('UpdateItem', { TableName: 'one', Key: { pk: { S: 'u' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '1' } } }, { timestampMs: 2_000 });
    expect(versionOf('one', 'u')?.ts).toBe(2_000);
    await ok('DeleteItem', { TableName: 'one', Key: { pk: { S: 'u' } } }, { timestampMs: 3_000 });
    expect(versionOf('one', 'u')?.ts).toBe(3_000);
  });

  it('stamps every write of a BatchWriteItem, across tables, and nothing after it', async () => {
    await ok('PutItem', { TableName: 'two', Item: { pk: { S: 'gone' } } });
    await ok('BatchWriteItem', {
      RequestItems: {
        one: [{ PutRequest: { Item: { pk: { S: 'b1' } } } }, { PutRequest: { Item: { pk: { S: 'b2' } } } }],
        two: [{ DeleteRequest: { Key: { pk: { S: 'gone' } } } }],
      },
    }, { timestampMs: START_MS + HOUR_MS });
    const stamped = [versionOf('one', 'b1'), versionOf('one', 'b2'), versionOf('two', 'gone')];
    expect(stamped.map((v) => v?.ts)).toEqual([START_MS + HOUR_MS, START_MS + HOUR_MS, START_MS + HOUR_MS]);
    // One millisecond, one region: the counter keeps the batch's versions distinct.
    expect(stamped.map((v) => v?.counter)).toEqual([0, 1, 2]);
    expect((await put('after')).status).toBe(200);
    expect(versionOf('one', 'after')?.ts).toBe(START_MS);
  });

  it('is ignored by reads', async () => {
    await ok('PutItem', { TableName: 'one', Item: { pk: { S: 'r' } } });
    const got = await ok('GetItem', { TableName: 'one', Key: { pk: { S: 'r' } } }, { timestampMs: 5 });
    expect(got.Item).toEqual({ pk: { S: 'r' } });
    expect(versionOf('one', 'r')?.ts).toBe(START_MS);
  });

  it('of a write that failed stamps nothing later: not a TTL delete, not a replicated change, not the next write', async () => {
    await ok('UpdateTimeToLive', { TableName: 'one', TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } });
    const expiresS = Math.floor(START_MS / 1000) + 10;
    await ok('PutItem', { TableName: 'one', Item: { pk: { S: 'expiring' }, ttl: { N: String(expiresS) } } });
    const lsnBefore = ctx.store.lastLsn();
    const failed = await call('PutItem', {
      TableName: 'one', Item: { pk: { S: 'expiring' } }, ConditionExpression: 'attribute_not_exists(pk)',
    }, { timestampMs: 7_000 });
    expect(failed.body.__type).toMatch(/ConditionalCheckFailedException$/);
    expect(ctx.store.lastLsn()).toBe(lsnBefore);

    const incoming = { ts: START_MS + 2, counter: 0, region: 'eu-west-1' };
    await ctx.store.write((txn) => {
      mergeIncoming(ctx, txn, new ConflictLog((fn) => ctx.store.read(fn)), tableMeta('one'), { pk: { S: 'remote' } },
        { item: { pk: { S: 'remote' } }, version: incoming, origin: 'eu-west-1', writtenAtMs: START_MS + 2 }, emptyTally());
    });
    expect(versionOf('one', 'remote')).toEqual(incoming);

    // Stamped 7000, this delete would lose to the item's own version under a wall clock.
    clock.advance(20_000);
    expect(await sweepExpiredItems(ctx)).toBe(1);
    expect(versionOf('one', 'expiring')).toEqual({ ts: START_MS + 20_000, counter: 0, region: 'us-east-1' });
    expect((await put('next')).status).toBe(200);
    expect(versionOf('one', 'next')).toEqual({ ts: START_MS + 20_000, counter: 1, region: 'us-east-1' });
  });
});

describe('a forced timestamp, hybrid logical clock', () => {
  beforeEach(async () => {
    ctx = regionContext('hlc');
    await createTable('one');
  });

  it('moves the clock ahead, and never back: later writes, forced or not, order after it', async () => {
    const aheadMs = START_MS + HOUR_MS;
    await put('ahead', { timestampMs: aheadMs });
    expect(versionOf('one', 'ahead')).toEqual({ ts: aheadMs, counter: 0, region: 'us-east-1' });
    await put('next');
    expect(versionOf('one', 'next')).toEqual({ ts: aheadMs, counter: 1, region: 'us-east-1' });
    await put('old', { timestampMs: 1_000 });
    expect(versionOf('one', 'old')).toEqual({ ts: aheadMs, counter: 2, region: 'us-east-1' });
    clock.advance(HOUR_MS + 1);
    await put('caught-up');
    expect(versionOf('one', 'caught-up')).toEqual({ ts: START_MS + HOUR_MS + 1, counter: 0, region: 'us-east-1' });
  });
});

describe('the bounds of a forced timestamp', () => {
  beforeEach(async () => {
    ctx = regionContext('wall');
    await createTable('one');
  });

  it('refuses anything but an integer from 0 to true time + a day with a ValidationException, and writes nothing', async () => {
    const lsnBefore = ctx.store.lastLsn();
    const latestMs = START_MS + MAX_CLOCK_SKEW_MS;
    for (const timestampMs of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e300, latestMs + 1, START_MS + 2 * MAX_CLOCK_SKEW_MS]) {
      const result = await put(`bad-${timestampMs}`, { timestampMs });
      expect(result.status, String(timestampMs)).toBe(400);
      expect(result.body.__type).toBe('com.amazon.coral.validate#ValidationException');
      expect(result.body.message).toBe(`The forced timestamp (${FORCED_TIMESTAMP_HEADER}) must be ms since the epoch, an integer from 0 to ${latestMs} (true time plus a day)`);
    }
    // Reads check it too: a bad value is a bad request, whatever the operation.
    expect((await call('GetItem', { TableName: 'one', Key: { pk: { S: 'x' } } }, { timestampMs: -1 })).status).toBe(400);
    expect(ctx.store.lastLsn()).toBe(lsnBefore);
  });

  it('accepts both ends, measured from true time, not the skewed clock', async () => {
    clock.skewMs = -MAX_CLOCK_SKEW_MS;
    expect((await put('epoch', { timestampMs: 0 })).status).toBe(200);
    expect(versionOf('one', 'epoch')?.ts).toBe(0);
    expect((await put('latest', { timestampMs: START_MS + MAX_CLOCK_SKEW_MS })).status).toBe(200);
    expect(versionOf('one', 'latest')?.ts).toBe(START_MS + MAX_CLOCK_SKEW_MS);
    clock.advance(1_000);
    expect((await put('later', { timestampMs: START_MS + MAX_CLOCK_SKEW_MS + 1_000 })).status).toBe(200);
  });
});
