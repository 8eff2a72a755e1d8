import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createGlobalTable, eventually, startCluster, waitConverged, type TestCluster } from '../helpers/cluster.js';

const NAMES = ['us-east-1', 'eu-west-1'];

async function partition(cluster: TestCluster, stalled: boolean): Promise<void> {
  for (const name of NAMES) {
    for (const source of NAMES.filter((n) => n !== name)) {
      await cluster.admin(name, `/admin/links/${source}`, { method: 'PUT', body: { stalled } });
    }
  }
}

/** Two regions update different attributes of one item while partitioned, then heal. */
async function disjointUpdates(cluster: TestCluster, table: string) {
  const [a, b] = cluster.regions;
  await createGlobalTable(cluster, table);
  await a.doc.send(new PutCommand({ TableName: table, Item: { pk: 'profile', name: 'ada', city: 'london' } }));
  await eventually(async () => (await b.doc.send(new GetCommand({ TableName: table, Key: { pk: 'profile' } }))).Item);
  await partition(cluster, true);
  await a.doc.send(new UpdateCommand({ TableName: table, Key: { pk: 'profile' }, UpdateExpression: 'SET #n = :v', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':v': 'ada lovelace' } }));
  await b.doc.send(new UpdateCommand({ TableName: table, Key: { pk: 'profile' }, UpdateExpression: 'SET city = :v', ExpressionAttributeValues: { ':v': 'paris' } }));
  await partition(cluster, false);
  await waitConverged(cluster.regions.map((r) => ({ name: r.name, admin: <T>(path: string) => cluster.admin<T>(r.name, path) })), table);
  const items = await Promise.all(cluster.regions.map(async (r) => (await r.doc.send(new GetCommand({ TableName: table, Key: { pk: 'profile' } }))).Item));
  const conflicts = await cluster.admin<{ conflicts: unknown[] }>(NAMES[0], `/admin/conflicts?table=${table}`);
  const conflictsB = await cluster.admin<{ conflicts: unknown[] }>(NAMES[1], `/admin/conflicts?table=${table}`);
  return { items, conflicts: conflicts.conflicts.length + conflictsB.conflicts.length };
}

describe('attribute-level last-writer-wins', () => {
  let cluster: TestCluster;
  beforeAll(async () => { cluster = await startCluster(NAMES, { granularity: 'attribute' }); }, 60_000);
  afterAll(async () => { await cluster?.stop(); });

  it('keeps both of two concurrent updates of different attributes, with no conflict', async () => {
    const { items, conflicts } = await disjointUpdates(cluster, 'profiles');
    expect(items[0]).toEqual({ pk: 'profile', name: 'ada lovelace', city: 'paris' });
    expect(items[1]).toEqual(items[0]);
    expect(conflicts).toBe(0);
  });
});

describe('item-level last-writer-wins (the default, as DynamoDB)', () => {
  let cluster: TestCluster;
  beforeAll(async () => { cluster = await startCluster(NAMES); }, 60_000);
  afterAll(async () => { await cluster?.stop(); });

  it('keeps only the later of two concurrent updates of different attributes, and logs the conflict', async () => {
    const { items, conflicts } = await disjointUpdates(cluster, 'profiles');
    // eu-west-1 wrote second, so its whole item wins: the other update is lost.
    expect(items[0]).toEqual({ pk: 'profile', name: 'ada', city: 'paris' });
    expect(items[1]).toEqual(items[0]);
    expect(conflicts).toBeGreaterThanOrEqual(1);
  });
});
