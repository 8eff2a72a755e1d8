import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createGlobalTable, eventually, startCluster, waitConverged, type TestCluster } from '../helpers/cluster.js';

const NAMES = ['us-east-1', 'eu-west-1'];
const regionsOf = (cluster: TestCluster) => cluster.regions.map((r) => ({ name: r.name, admin: <T>(path: string) => cluster.admin<T>(r.name, path) }));

/**
 * us-east-1 writes, eu-west-1 sees that write and then overwrites it — but eu-west-1's clock is ten
 * seconds behind. Returns which write every region keeps.
 */
async function causalOverwriteWithSkew(cluster: TestCluster, table: string): Promise<string[]> {
  const [east, west] = cluster.regions;
  await createGlobalTable(cluster, table);
  await cluster.admin(west.name, '/admin/clock', { method: 'PUT', body: { skewMs: -10_000 } });
  await east.doc.send(new PutCommand({ TableName: table, Item: { pk: 'doc', by: 'east' } }));
  await eventually(async () => (await west.doc.send(new GetCommand({ TableName: table, Key: { pk: 'doc' } }))).Item?.by === 'east');
  await west.doc.send(new PutCommand({ TableName: table, Item: { pk: 'doc', by: 'west-later' } }));
  await waitConverged(regionsOf(cluster), table);
  return Promise.all(cluster.regions.map(async (r) => String((await r.doc.send(new GetCommand({ TableName: table, Key: { pk: 'doc' } }))).Item?.by)));
}

describe('clock skew under hybrid logical clocks', () => {
  let cluster: TestCluster;
  beforeAll(async () => { cluster = await startCluster(NAMES, { clockMode: 'hlc' }); }, 60_000);
  afterAll(async () => { await cluster?.stop(); });

  it('a causal overwrite wins even from a region whose clock is behind', async () => {
    expect(await causalOverwriteWithSkew(cluster, 'skewed')).toEqual(['west-later', 'west-later']);
  });
});

describe('clock skew under wall clocks (as DynamoDB)', () => {
  let cluster: TestCluster;
  beforeAll(async () => { cluster = await startCluster(NAMES, { clockMode: 'wall' }); }, 60_000);
  afterAll(async () => { await cluster?.stop(); });

  it('a later write from a region whose clock is behind loses, and the conflict says skew-inverted', async () => {
    expect(await causalOverwriteWithSkew(cluster, 'skewed')).toEqual(['east', 'east']);
    // The overwrite lost where it was written: eu-west-1 logs it, and nothing of it ever left that region.
    const { conflicts } = await cluster.admin<{ conflicts: { reason: string; winner: { origin: string }; loser: { origin: string; writtenAtMs: number } }[] }>('eu-west-1', '/admin/conflicts?table=skewed');
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ reason: 'skew-inverted', winner: { origin: 'us-east-1' }, loser: { origin: 'eu-west-1' } });
  });
});
