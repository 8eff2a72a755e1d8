/**
 * Regions that share an admin token build global tables together: every call one makes to a peer's
 * guarded admin routes (membership, replica create and delete, the backfill snapshot) carries the
 * token, which the peer requires even on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeTableCommand, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { createGlobalTable, eventually, startCluster, waitConverged, type TestCluster } from '../helpers/cluster.js';

const TOKEN = 'cluster-admin-token';

describe('a cluster with an admin token', () => {
  let cluster: TestCluster;
  beforeAll(async () => { cluster = await startCluster(['us-east-1', 'eu-west-1'], { adminToken: TOKEN }); }, 60_000);
  afterAll(async () => { await cluster?.stop(); });

  it('refuses a guarded call without the token, even from loopback', async () => {
    const response = await fetch(`${cluster.regions[0].region.endpoint}/admin/clock`, { method: 'PUT', body: '{"skewMs":0}' });
    expect(response.status).toBe(401);
  });

  it('creates, backfills, replicates to and deletes a replica: peers send the token', async () => {
    const [east, west] = cluster.regions;
    await createGlobalTable(cluster, 'shared');
    await east.client.send(new PutItemCommand({ TableName: 'shared', Item: { pk: { S: 'a' } } }));
    await waitConverged(cluster.regions.map((r) => ({ name: r.name, admin: <T>(path: string) => cluster.admin<T>(r.name, path) })), 'shared');
    await east.client.send(new UpdateTableCommand({ TableName: 'shared', ReplicaUpdates: [{ Delete: { RegionName: west.name } }] }));
    await eventually(async () => {
      try {
        await west.client.send(new DescribeTableCommand({ TableName: 'shared' }));
        return false;
      } catch (error) {
        return (error as Error).name === 'ResourceNotFoundException';
      }
    }, 20_000, 'the replica in eu-west-1 deleted');
    // The coordinator lists it (DELETING) until every other replica has applied its last writes.
    await eventually(async () => ((await east.client.send(new DescribeTableCommand({ TableName: 'shared' }))).Table?.Replicas ?? []).length === 0, 20_000, 'the replica gone from the membership');
  });
});
