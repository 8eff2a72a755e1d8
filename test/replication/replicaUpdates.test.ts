import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DescribeTableCommand, UpdateTableCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { failure } from '../helpers/region.js';
import { addReplica, createGlobalTable, eventually, startCluster, type TestCluster } from '../helpers/cluster.js';

let cluster: TestCluster;
beforeAll(async () => { cluster = await startCluster(['us-east-1', 'eu-west-1', 'ap-southeast-2'], { settings: { ttlSweepIntervalMs: 100 } }); }, 60_000);
afterAll(async () => { await cluster?.stop(); });

const update = (region: string, replicaUpdates: object[]) => cluster.byName('us-east-1').client.send(new UpdateTableCommand({ TableName: 'accounts', ReplicaUpdates: replicaUpdates as never }));

describe('UpdateTable ReplicaUpdates', () => {
  it('refuses the local region, unknown regions, duplicates and missing replicas with a ValidationException', async () => {
    await cluster.byName('us-east-1').client.send(new CreateTableCommand({
      TableName: 'accounts', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }));
    const local = await failure(update('us-east-1', [{ Create: { RegionName: 'us-east-1' } }]));
    expect(local.name).toBe('ValidationException');
    expect(local.message).toBe('Cannot add, delete, or update the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required.');
    const unknown = await failure(update('us-east-1', [{ Create: { RegionName: 'sa-east-1' } }]));
    expect(unknown.name).toBe('ValidationException');
    expect(unknown.message).toContain('sa-east-1');
    const missing = await failure(update('us-east-1', [{ Delete: { RegionName: 'eu-west-1' } }]));
    expect(missing.name).toBe('ValidationException');
    await addReplica(cluster.byName('us-east-1'), 'accounts', 'eu-west-1');
    const duplicate = await failure(update('us-east-1', [{ Create: { RegionName: 'eu-west-1' } }]));
    expect(duplicate.name).toBe('ValidationException');
    const { Table } = await cluster.byName('us-east-1').client.send(new DescribeTableCommand({ TableName: 'accounts' }));
    expect(Table?.Replicas).toEqual([{ RegionName: 'eu-west-1', ReplicaStatus: 'ACTIVE' }]);
  });

  it('deleting a replica removes its table and stops replication to and from it', async () => {
    const [east, west] = cluster.regions;
    await east.doc.send(new PutCommand({ TableName: 'accounts', Item: { pk: 'before' } }));
    await eventually(async () => (await west.doc.send(new GetCommand({ TableName: 'accounts', Key: { pk: 'before' } }))).Item);
    await update('us-east-1', [{ Delete: { RegionName: 'eu-west-1' } }]);
    await eventually(async () => (await failure(west.client.send(new DescribeTableCommand({ TableName: 'accounts' })))).name === 'ResourceNotFoundException', 10_000, 'replica table gone');
    // The coordinator lists it (DELETING) until every other replica has applied its last writes.
    await eventually(async () => ((await east.client.send(new DescribeTableCommand({ TableName: 'accounts' }))).Table?.Replicas ?? []).length === 0, 10_000, 'the replica gone from the membership');
    // A regional table of the same name in eu-west-1 is its own table now.
    await west.client.send(new CreateTableCommand({
      TableName: 'accounts', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }));
    await west.doc.send(new PutCommand({ TableName: 'accounts', Item: { pk: 'west-only' } }));
    await east.doc.send(new PutCommand({ TableName: 'accounts', Item: { pk: 'east-only' } }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await east.doc.send(new GetCommand({ TableName: 'accounts', Key: { pk: 'west-only' } }))).Item).toBeUndefined();
    expect((await west.doc.send(new GetCommand({ TableName: 'accounts', Key: { pk: 'east-only' } }))).Item).toBeUndefined();
  });

  it('replicates deletes made by TTL', async () => {
    const [east, , south] = cluster.regions;
    await createGlobalTable({ regions: [east, south] }, 'sessions');
    await east.client.send(new UpdateTimeToLiveCommand({ TableName: 'sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }));
    await east.doc.send(new PutCommand({ TableName: 'sessions', Item: { pk: 'old', expiresAt: Math.floor(Date.now() / 1000) - 60 } }));
    await eventually(async () => (await east.doc.send(new GetCommand({ TableName: 'sessions', Key: { pk: 'old' } }))).Item === undefined, 10_000, 'expired in east');
    // TTL is enabled only in us-east-1: the tombstone in ap-southeast-2 can only have come from replication.
    const south$ = await eventually(async () => {
      const { tables } = await cluster.admin<{ tables: Record<string, { items: number; tombstones: number }> }>(south.name, '/admin/digest?table=sessions');
      return tables.sessions.tombstones === 1 ? tables.sessions : undefined;
    }, 10_000, 'TTL delete replicated to ap-southeast-2');
    expect(south$.items).toBe(0);
  });
});
