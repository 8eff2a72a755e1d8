import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateGlobalTableCommand, CreateTableCommand, DescribeTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createStreamTable, eventually, startCluster, type TestCluster } from '../helpers/cluster.js';
import { failure, startTestRegion, uniqueTableName } from '../helpers/region.js';

let cluster: TestCluster;
beforeAll(async () => { cluster = await startCluster(); }, 60_000);
afterAll(async () => { await cluster?.stop(); });

const US = 'us-east-1';
const EU = 'eu-west-1';
const AP = 'ap-southeast-2';

/** The same empty table, with the stream a legacy global table needs, in each region; `overrides` apply to the last one. */
async function tables(regions: string[], overrides: Partial<CreateTableCommandInput> = {}): Promise<string> {
  const name = uniqueTableName('legacy');
  for (const [i, region] of regions.entries()) await createStreamTable(cluster.byName(region).client, name, i === regions.length - 1 ? overrides : {});
  return name;
}

const create = (name: string, regions: string[], from = US) => cluster.byName(from).client.send(new CreateGlobalTableCommand({
  GlobalTableName: name,
  ReplicationGroup: regions.map((RegionName) => ({ RegionName })),
}));

describe('CreateGlobalTable', () => {
  it('joins the tables of two regions: both report version 2017.11.29 and each other, and writes replicate both ways', async () => {
    const name = await tables([US, EU]);
    const { GlobalTableDescription } = await create(name, [EU, US]);
    expect(GlobalTableDescription).toMatchObject({
      GlobalTableName: name,
      GlobalTableStatus: 'ACTIVE',
      GlobalTableArn: `arn:aws:dynamodb::${cluster.byName(US).region.ctx.accountId}:global-table/${name}`,
      ReplicationGroup: [{ RegionName: EU }, { RegionName: US }],
    });
    expect(GlobalTableDescription?.CreationDateTime).toBeInstanceOf(Date);
    for (const [region, other] of [[US, EU], [EU, US]]) {
      const { Table } = await cluster.byName(region!).client.send(new DescribeTableCommand({ TableName: name }));
      expect(Table?.GlobalTableVersion).toBe('2017.11.29');
      expect(Table?.Replicas).toEqual([{ RegionName: other, ReplicaStatus: 'ACTIVE' }]);
    }
    await cluster.byName(US).doc.send(new PutCommand({ TableName: name, Item: { pk: 'from-us', n: 1 } }));
    await cluster.byName(EU).doc.send(new PutCommand({ TableName: name, Item: { pk: 'from-eu', n: 2 } }));
    await eventually(async () => (await cluster.byName(EU).doc.send(new GetCommand({ TableName: name, Key: { pk: 'from-us' } }))).Item, 10_000, 'us → eu');
    await eventually(async () => (await cluster.byName(US).doc.send(new GetCommand({ TableName: name, Key: { pk: 'from-eu' } }))).Item, 10_000, 'eu → us');
    const { Table } = await cluster.byName(AP).client.send(new DescribeTableCommand({ TableName: name })).catch(() => ({ Table: undefined }));
    expect(Table).toBeUndefined();
  });

  it('fails with TableNotFoundException naming the region that has no such table', async () => {
    const name = await tables([US]);
    const error = await failure(create(name, [US, EU]));
    expect(error.name).toBe('TableNotFoundException');
    expect(error.message).toBe(`Table not found: Table: '${name}' not found in region: '${EU}'.`);
    const local = await failure(create(uniqueTableName('absent'), [US]));
    expect(local.message).toMatch(/^Table not found: Table: '.+' not found in region: 'us-east-1'\.$/);
  });

  it('fails with GlobalTableAlreadyExistsException when the tables are already global', async () => {
    const name = await tables([US, EU]);
    await create(name, [US, EU]);
    for (const from of [US, EU]) {
      const error = await failure(create(name, [US, EU], from));
      expect(error.name).toBe('GlobalTableAlreadyExistsException');
      expect(error.message).toBe(`Global table already exists: Global table with name: '${name}' already exists.`);
    }
  });

  it.each([
    ['has no stream', { StreamSpecification: undefined }, 'must have DynamoDB Streams enabled with StreamViewType NEW_AND_OLD_IMAGES'],
    ['streams only new images', { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' as const } }, 'must have DynamoDB Streams enabled with StreamViewType NEW_AND_OLD_IMAGES'],
    ['has another key schema', {
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'N' as const }],
    }, `has a different key schema than table NAME in region ${US}`],
  ])('fails with ValidationException when the table in one region %s', async (_what, overrides, detail) => {
    const name = await tables([US, EU], overrides);
    const error = await failure(create(name, [US, EU]));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(`One or more parameter values were invalid: Table ${name} in region ${EU} ${detail.replace('NAME', name)}`);
  });

  it('fails with ValidationException when a table holds items, and changes nothing', async () => {
    const name = await tables([US, EU]);
    await cluster.byName(EU).doc.send(new PutCommand({ TableName: name, Item: { pk: 'early' } }));
    const error = await failure(create(name, [US, EU]));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(`One or more parameter values were invalid: Table ${name} in region ${EU} is not empty: only empty tables can join a global table`);
    const { Table } = await cluster.byName(US).client.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.GlobalTableVersion).toBeUndefined();
  });

  it('fails with ValidationException when the group leaves out the local region or names a region that is not a peer', async () => {
    const name = await tables([US, EU]);
    const outside = await failure(create(name, [EU]));
    expect(outside.name).toBe('ValidationException');
    expect(outside.message).toBe(`One or more parameter values were invalid: ReplicationGroup must include the region that receives the request: ${US}`);
    const stranger = await failure(create(name, [US, 'sa-east-1']));
    expect(stranger.message).toBe(`One or more parameter values were invalid: Region sa-east-1 is not a peer of ${US} (peers: ${EU}, ${AP}); start this region with --peer sa-east-1=<endpoint>`);
  });

  it('in a region without replication, accepts a group of that region alone, like a region without peers', async () => {
    const lone = await startTestRegion();
    try {
      const name = uniqueTableName('lone');
      await lone.client.send(new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }));
      const send = (regions: string[]) => lone.client.send(new CreateGlobalTableCommand({ GlobalTableName: name, ReplicationGroup: regions.map((RegionName) => ({ RegionName })) }));
      const error = await failure(send([US, EU]));
      expect(error.message).toBe(`One or more parameter values were invalid: Region ${EU} is not a peer of ${US} (peers: none); start this region with --peer ${EU}=<endpoint>`);
      expect((await send([US])).GlobalTableDescription?.ReplicationGroup).toEqual([{ RegionName: US }]);
    } finally {
      await lone.stop();
    }
  });

  it('validates the request shape as DynamoDB does', async () => {
    const error = await failure(cluster.byName(US).client.send(new CreateGlobalTableCommand({ GlobalTableName: 'ab', ReplicationGroup: undefined as never })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe("2 validation errors detected: Value 'ab' at 'globalTableName' failed to satisfy constraint: Member must have length greater than or equal to 3; "
      + "Value null at 'replicationGroup' failed to satisfy constraint: Member must not be null");
  });
});
