/**
 * An index always equals the projection of its table: after any sequence of local puts, updates
 * and deletes, replicated states merged in (older and newer than what is held), and TTL deletes,
 * every index holds exactly one entry per item that has its key attributes, projected, and its
 * statistics count them.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ManualClock } from '../../src/clock/clock.js';
import { encodeEntryKey } from '../../src/core/indexKeys.js';
import type { Item } from '../../src/core/types.js';
import { itemSize } from '../../src/core/values.js';
import { initialClockState } from '../../src/core/version.js';
import { DEFAULT_SETTINGS, type RegionContext } from '../../src/dynamo/context.js';
import { dispatch } from '../../src/dynamo/dispatch.js';
import { indexShapeOf, isIndexed, projectedNames, projectItem } from '../../src/dynamo/indexes/indexMeta.js';
import { operations } from '../../src/dynamo/ops/index.js';
import { keyShapeOf, readStats, type TableMeta } from '../../src/dynamo/tables.js';
import { sweepExpiredItems } from '../../src/dynamo/ttl.js';
import { emptyTally, mergeIncoming } from '../../src/replication/apply.js';
import { ConflictLog } from '../../src/replication/conflicts.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import { propertyParameters } from '../helpers/seed.js';

const START_MS = 1_700_000_000_000;
const TABLE = 'indexed';
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

type Op =
  | { kind: 'put' | 'replicated'; sk: string; city?: string; name?: string; score?: number; age?: number; expires?: boolean; ageMs: number }
  | { kind: 'delete'; sk: string }
  | { kind: 'ttl' };

const sk = fc.constantFrom('a', 'b', 'c', 'd', 'e');
const put = fc.record({
  kind: fc.constantFrom('put' as const, 'replicated' as const), sk,
  city: fc.option(fc.constantFrom('Oslo', 'Rome'), { nil: undefined }), name: fc.option(fc.constantFrom('x', 'y'), { nil: undefined }),
  score: fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }), age: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  expires: fc.boolean(), ageMs: fc.integer({ min: -5_000, max: 5_000 }),
});
const op: fc.Arbitrary<Op> = fc.oneof(put, fc.record({ kind: fc.constant('delete' as const), sk }), fc.constant({ kind: 'ttl' as const }));

async function call(ctx: RegionContext, operation: string, body: object): Promise<void> {
  const result = await dispatch(ctx, operations, operation, new TextEncoder().encode(JSON.stringify(body)));
  expect(result.status, JSON.stringify(result.body)).toBe(200);
}

function itemOf(o: Extract<Op, { sk: string; kind: 'put' | 'replicated' }>, nowS: number): Item {
  return {
    pk: { S: 'p' }, sk: { S: o.sk },
    ...(o.city ? { city: { S: o.city } } : {}), ...(o.name ? { name: { S: o.name } } : {}),
    ...(o.score !== undefined ? { score: { N: String(o.score) } } : {}), ...(o.age !== undefined ? { age: { N: String(o.age) } } : {}),
    ...(o.expires ? { exp: { N: String(nowS - 1) } } : {}), note: { S: `${o.kind}-${o.ageMs}` },
  };
}

async function run(ops: Op[]): Promise<void> {
  const clock = new ManualClock(START_MS);
  const ctx: RegionContext = {
    region: 'us-east-1', accountId: '000000000000', store: createMemoryStore(), clock,
    clockState: initialClockState('us-east-1', 'hlc'), ids: { uuid: () => '00000000-0000-4000-8000-000000000001' },
    settings: DEFAULT_SETTINGS, granularity: 'item',
  };
  await call(ctx, 'CreateTable', {
    TableName: TABLE, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: ['pk', 'sk', 'city', 'name'].map((n) => ({ AttributeName: n, AttributeType: 'S' })).concat(['score', 'age'].map((n) => ({ AttributeName: n, AttributeType: 'N' }))),
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    LocalSecondaryIndexes: [{ IndexName: 'byScore', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'score', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
    GlobalSecondaryIndexes: [
      { IndexName: 'byCity', KeySchema: [{ AttributeName: 'city', KeyType: 'HASH' }, { AttributeName: 'name', KeyType: 'RANGE' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['age'] } },
      { IndexName: 'byAge', KeySchema: [{ AttributeName: 'age', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
    ],
  });
  await call(ctx, 'UpdateTimeToLive', { TableName: TABLE, TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } });
  const conflicts = new ConflictLog((fn) => ctx.store.read(fn));
  for (const o of ops) {
    clock.advance(10);
    const nowS = Math.floor(clock.trueNowMs() / 1000);
    if (o.kind === 'put') await call(ctx, 'PutItem', { TableName: TABLE, Item: itemOf(o, nowS) });
    else if (o.kind === 'delete') await call(ctx, 'DeleteItem', { TableName: TABLE, Key: { pk: { S: 'p' }, sk: { S: o.sk } } });
    else if (o.kind === 'ttl') await sweepExpiredItems(ctx);
    else {
      const ts = clock.trueNowMs() + o.ageMs;
      await ctx.store.write((txn) => {
        const meta = txn.getTable<TableMeta>(TABLE)!;
        mergeIncoming(ctx, txn, conflicts, meta, { pk: { S: 'p' }, sk: { S: o.sk } },
          { item: itemOf(o, nowS), version: { ts, counter: 0, region: 'eu-west-1' }, origin: 'eu-west-1', writtenAtMs: ts }, emptyTally());
      });
    }
  }
  ctx.store.read((txn) => {
    const table = txn.getTable<TableMeta>(TABLE)!;
    const tableShape = keyShapeOf(table);
    const items = [...txn.range(table.id)].flatMap(({ record }) => (record.item ? [record.item] : []));
    for (const index of table.indexes!) {
      const shape = indexShapeOf(table, index);
      const names = projectedNames(tableShape, shape, index);
      const expected = new Map(items.filter((item) => isIndexed(item, shape))
        .map((item) => [hex(encodeEntryKey(shape, tableShape, item)), projectItem(item, names)]));
      const actual = new Map([...txn.range(index.id)].map(({ key, record }) => [hex(key), record.item!]));
      expect(actual, index.name).toEqual(expected);
      const stats = readStats(txn, index.id);
      expect(stats.itemCount, index.name).toBe(expected.size);
      expect(stats.sizeBytes, index.name).toBe([...expected.values()].reduce((total, item) => total + itemSize(item), 0));
    }
  });
}

describe('secondary indexes (property)', () => {
  it('always equal the projection of their table', async () => {
    await fc.assert(fc.asyncProperty(fc.array(op, { maxLength: 40 }), run), propertyParameters('indexes', 150));
  }, 120_000);
});
