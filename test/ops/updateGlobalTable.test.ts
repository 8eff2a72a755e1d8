import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateGlobalTableCommand, DescribeGlobalTableCommand, DescribeTableCommand, UpdateGlobalTableCommand, UpdateTableCommand,
  type CreateTableCommandInput, type ReplicaUpdate,
} from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createStreamTable, eventually, startCluster, type TestCluster } from '../helpers/cluster.js';
import { failure, uniqueTableName } from '../helpers/region.js';

let cluster: TestCluster;
beforeAll(async () => { cluster = await startCluster(); }, 60_000);
afterAll(async () => { await cluster?.stop(); });

const US = 'us-east-1';
const EU = 'eu-west-1';
const AP = 'ap-southeast-2';

const table = (region: string, name: string, overrides: Partial<CreateTableCommandInput> = {}): Promise<void> =>
  createStreamTable(cluster.byName(region).client, name, overrides);

/** A legacy global table of US and EU. */
async function globalTable(): Promise<string> {
  const name = uniqueTableName('legacy');
  await table(US, name);
  await table(EU, name);
  await cluster.byName(US).client.send(new CreateGlobalTableCommand({ GlobalTableName: name, ReplicationGroup: [{ RegionName: US }, { RegionName: EU }] }));
  return name;
}

const update = (name: string, ReplicaUpdates: ReplicaUpdate[], from = US) =>
  cluster.byName(from).client.send(new UpdateGlobalTableCommand({ GlobalTableName: name, ReplicaUpdates }));

const get = (region: string, name: string, pk: string) =>
  cluster.byName(region).doc.send(new GetCommand({ TableName: name, Key: { pk } })).then((r) => r.Item);

describe('UpdateGlobalTable', () => {
  it('adds a region whose table then replicates with the others, and removes a region whose table stays, regional', async () => {
    const name = await globalTable();
    await table(AP, name);
    const added = await update(name, [{ Create: { RegionName: AP } }]);
    expect(added.GlobalTableDescription).toMatchObject({ GlobalTableName: name, GlobalTableStatus: 'ACTIVE', ReplicationGroup: [{ RegionName: AP }, { RegionName: EU }, { RegionName: US }] });
    for (const region of [US, EU, AP]) {
      const { GlobalTableDescription } = await cluster.byName(region).client.send(new DescribeGlobalTableCommand({ GlobalTableName: name }));
      expect(GlobalTableDescription?.ReplicationGroup).toHaveLength(3);
    }
    await cluster.byName(AP).doc.send(new PutCommand({ TableName: name, Item: { pk: 'from-ap' } }));
    await eventually(() => get(US, name, 'from-ap'), 10_000, 'ap → us');
    await eventually(() => get(EU, name, 'from-ap'), 10_000, 'ap → eu');

    const removed = await update(name, [{ Delete: { RegionName: EU } }], AP);
    expect(removed.GlobalTableDescription?.ReplicationGroup).toEqual([{ RegionName: AP }, { RegionName: US }]);
    const { Table } = await cluster.byName(EU).client.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.GlobalTableVersion).toBeUndefined();
    expect(Table?.Replicas).toBeUndefined();
    expect((await cluster.byName(US).client.send(new DescribeTableCommand({ TableName: name }))).Table?.Replicas).toEqual([{ RegionName: AP, ReplicaStatus: 'ACTIVE' }]);
    await cluster.byName(US).doc.send(new PutCommand({ TableName: name, Item: { pk: 'after' } }));
    await eventually(() => get(AP, name, 'after'), 10_000, 'us → ap');
    // The change reached the remaining member; give the removed one as long again before checking it stayed out.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await get(EU, name, 'after')).toBeUndefined();
    expect(await get(EU, name, 'from-ap')).toEqual({ pk: 'from-ap' });
  });

  it("keeps every member's stream on: disabling it is refused until the region has left", async () => {
    const name = await globalTable();
    const disable = (region: string) => cluster.byName(region).client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } }));
    for (const region of [US, EU]) {
      expect(await failure(disable(region))).toMatchObject({
        name: 'ValidationException', message: 'One or more parameter values were invalid: Disabling Stream is not allowed for a Global Table replica.',
      });
    }
    await update(name, [{ Delete: { RegionName: EU } }]);
    await disable(EU);
    expect((await cluster.byName(EU).client.send(new DescribeTableCommand({ TableName: name }))).Table?.StreamSpecification).toBeUndefined();
  });

  it('fails with GlobalTableNotFoundException for a table that is not a legacy global table', async () => {
    const name = uniqueTableName('regional');
    await table(US, name);
    const error = await failure(update(name, [{ Create: { RegionName: EU } }]));
    expect(error.name).toBe('GlobalTableNotFoundException');
    expect(error.message).toBe(`Global table not found: Global table with name: '${name}' does not exist.`);
  });

  it('fails with ReplicaAlreadyExistsException and ReplicaNotFoundException', async () => {
    const name = await globalTable();
    const twice = await failure(update(name, [{ Create: { RegionName: EU } }]));
    expect(twice.name).toBe('ReplicaAlreadyExistsException');
    expect(twice.message).toBe(`Replica already exists: Replica in region: '${EU}' already exists for global table: '${name}'.`);
    const absent = await failure(update(name, [{ Delete: { RegionName: AP } }]));
    expect(absent.name).toBe('ReplicaNotFoundException');
    expect(absent.message).toBe(`Replica not found: Replica in region: '${AP}' not found for global table: '${name}'.`);
  });

  it('fails with TableNotFoundException when the added region has no such table, and ValidationException when it holds items', async () => {
    const name = await globalTable();
    const missing = await failure(update(name, [{ Create: { RegionName: AP } }]));
    expect(missing.name).toBe('TableNotFoundException');
    expect(missing.message).toBe(`Table not found: Table: '${name}' not found in region: '${AP}'.`);
    await table(AP, name);
    await cluster.byName(AP).doc.send(new PutCommand({ TableName: name, Item: { pk: 'early' } }));
    const full = await failure(update(name, [{ Create: { RegionName: AP } }]));
    expect(full.name).toBe('ValidationException');
    expect(full.message).toBe(`One or more parameter values were invalid: Table ${name} in region ${AP} is not empty: only empty tables can join a global table`);
    const { GlobalTableDescription } = await cluster.byName(US).client.send(new DescribeGlobalTableCommand({ GlobalTableName: name }));
    expect(GlobalTableDescription?.ReplicationGroup).toEqual([{ RegionName: EU }, { RegionName: US }]);
  });

  it.each([
    [[], 'One or more parameter values were invalid'],
    [[{ Create: { RegionName: AP }, Delete: { RegionName: EU } }], 'One or more parameter values were invalid: One and only one of Create or Delete must be specified in a ReplicaUpdate'],
    [[{}], 'One or more parameter values were invalid: One and only one of Create or Delete must be specified in a ReplicaUpdate'],
  ])('fails with ValidationException for ReplicaUpdates %j', async (updates, message) => {
    const name = await globalTable();
    const error = await failure(update(name, updates as ReplicaUpdate[]));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message);
  });
});
