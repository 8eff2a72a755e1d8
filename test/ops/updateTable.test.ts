import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { addReplica, eventually, startCluster, type TestCluster } from '../helpers/cluster.js';
import { failure, startTestRegion, uniqueTableName, type TestRegion } from '../helpers/region.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion(); });
afterAll(async () => { await region.stop(); });

async function provisionedTable(): Promise<string> {
  const name = uniqueTableName();
  await region.client.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
  }));
  return name;
}

describe('UpdateTable', () => {
  it('changes provisioned throughput and counts a decrease', async () => {
    const name = await provisionedTable();
    const updated = await region.client.send(new UpdateTableCommand({ TableName: name, ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 10 } }));
    expect(updated.TableDescription?.TableStatus).toBe('UPDATING');
    const table = (await region.client.send(new DescribeTableCommand({ TableName: name }))).Table!;
    expect(table.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 3, WriteCapacityUnits: 10, NumberOfDecreasesToday: 1 });
    expect(table.ProvisionedThroughput?.LastIncreaseDateTime).toBeInstanceOf(Date);
    expect(table.TableStatus).toBe('ACTIVE');
  });

  it('answers with the old capacity while the change is under way; the new one, decrease counted, once done', async () => {
    const name = await provisionedTable();
    const describeThroughput = async () => (await region.client.send(new DescribeTableCommand({ TableName: name }))).Table!.ProvisionedThroughput!;
    const increase = (await region.client.send(new UpdateTableCommand({ TableName: name, ProvisionedThroughput: { ReadCapacityUnits: 15, WriteCapacityUnits: 15 } }))).TableDescription!;
    expect(increase.TableStatus).toBe('UPDATING');
    expect(increase.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 5, NumberOfDecreasesToday: 0 });
    expect(increase.ProvisionedThroughput?.LastIncreaseDateTime).toBeInstanceOf(Date);
    const increased = await describeThroughput();
    expect(increased).toMatchObject({ ReadCapacityUnits: 15, WriteCapacityUnits: 15, NumberOfDecreasesToday: 0 });

    const decrease = (await region.client.send(new UpdateTableCommand({ TableName: name, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }))).TableDescription!;
    expect(decrease.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 15, WriteCapacityUnits: 15, NumberOfDecreasesToday: 0, LastIncreaseDateTime: increased.LastIncreaseDateTime });
    expect(decrease.ProvisionedThroughput?.LastDecreaseDateTime).toBeInstanceOf(Date);
    expect(await describeThroughput()).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 5, NumberOfDecreasesToday: 1, LastIncreaseDateTime: increased.LastIncreaseDateTime });
  });

  it('switches billing mode to PAY_PER_REQUEST and back', async () => {
    const name = await provisionedTable();
    await region.client.send(new UpdateTableCommand({ TableName: name, BillingMode: 'PAY_PER_REQUEST' }));
    let table = (await region.client.send(new DescribeTableCommand({ TableName: name }))).Table!;
    expect(table.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    await region.client.send(new UpdateTableCommand({ TableName: name, BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } }));
    table = (await region.client.send(new DescribeTableCommand({ TableName: name }))).Table!;
    expect(table.BillingModeSummary).toBeUndefined();
    expect(table.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 2, WriteCapacityUnits: 2 });
  });

  it('enables and disables a stream, rejecting a second enable and a disable of none', async () => {
    const name = await provisionedTable();
    await region.client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    expect((await region.client.send(new DescribeTableCommand({ TableName: name }))).Table?.StreamSpecification)
      .toEqual({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' });
    const twice = await failure(region.client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } })));
    expect(twice.message).toBe(`Table already has an enabled stream: TableName: ${name}`);
    await region.client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } }));
    const none = await failure(region.client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } })));
    expect(none.name).toBe('ValidationException');
    expect(none.message).toBe(`Table already has no stream: TableName: ${name}`);
  });

  it.each([
    [{}, 'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required'],
    [{ BillingMode: 'PROVISIONED' }, 'One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED'],
    [{ ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }, 'The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. Current WriteCapacityUnits provisioned for the table: 5. Requested WriteCapacityUnits: 5. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.'],
  ])('rejects %j', async (override, message) => {
    const name = await provisionedTable();
    const error = await failure(region.client.send(new UpdateTableCommand({ TableName: name, ...override } as never)));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message);
  });
});

describe('UpdateTable on a global table: the stream', () => {
  let cluster: TestCluster;
  beforeAll(async () => { cluster = await startCluster(['us-east-1', 'eu-west-1']); }, 60_000);
  afterAll(async () => { await cluster?.stop(); });

  const streamOf = async (where: string, name: string) =>
    (await cluster.byName(where).client.send(new DescribeTableCommand({ TableName: name }))).Table?.StreamSpecification;

  async function globalTable(stream?: { StreamEnabled: true; StreamViewType: 'KEYS_ONLY' | 'NEW_IMAGE' }): Promise<string> {
    const name = uniqueTableName('global');
    await cluster.byName('us-east-1').client.send(new CreateTableCommand({
      TableName: name, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      ...(stream ? { StreamSpecification: stream } : {}),
    }));
    await addReplica(cluster.byName('us-east-1'), name, 'eu-west-1');
    return name;
  }

  it('a table without a stream gets a NEW_AND_OLD_IMAGES stream when it becomes global, in every replica', async () => {
    const name = await globalTable();
    expect(await streamOf('us-east-1', name)).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(await streamOf('eu-west-1', name)).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });

  it('a KEYS_ONLY table becomes global and its stream stays KEYS_ONLY, the new replica\'s too; writes replicate', async () => {
    const name = await globalTable({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' });
    expect(await streamOf('us-east-1', name)).toEqual({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' });
    expect(await streamOf('eu-west-1', name)).toEqual({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' });
    await cluster.byName('us-east-1').doc.send(new PutCommand({ TableName: name, Item: { pk: 'a', v: 1 } }));
    const copied = await eventually(async () => (await cluster.byName('eu-west-1').doc.send(new GetCommand({ TableName: name, Key: { pk: 'a' } }))).Item, 10_000, 'the write in eu-west-1');
    expect(copied).toEqual({ pk: 'a', v: 1 });
  });

  it('refuses to disable the stream of a replica, or to switch its view type, and changes nothing', async () => {
    const name = await globalTable();
    for (const where of ['us-east-1', 'eu-west-1']) {
      const client = cluster.byName(where).client;
      await eventually(async () => (await client.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus === 'ACTIVE', 10_000, 'ACTIVE');
      const disable = await failure(client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } })));
      expect(disable).toMatchObject({ name: 'ValidationException', message: 'One or more parameter values were invalid: Disabling Stream is not allowed for a Global Table replica.' });
      const switched = await failure(client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } })));
      expect(switched).toMatchObject({ name: 'ValidationException', message: `Table already has an enabled stream: TableName: ${name}` });
      expect(await streamOf(where, name)).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    }
  });

  it('refuses to disable the stream in the request that makes the table global', async () => {
    const name = uniqueTableName('global');
    const east = cluster.byName('us-east-1').client;
    await east.send(new CreateTableCommand({
      TableName: name, BillingMode: 'PAY_PER_REQUEST', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }));
    const error = await failure(east.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false }, ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] })));
    expect(error.message).toBe('One or more parameter values were invalid: Disabling Stream is not allowed for a Global Table replica.');
    const { Table } = await east.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.Replicas).toBeUndefined();
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
  });
});
