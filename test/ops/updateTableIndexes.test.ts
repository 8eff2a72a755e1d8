import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DescribeTableCommand, PutItemCommand, QueryCommand, ScanCommand, UpdateTableCommand,
  type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, uniqueTableName, type TestRegion } from '../helpers/region.js';
import { createIndexedTable } from '../helpers/indexTables.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion(); });
afterAll(async () => { await region.stop(); });

type Row = Record<string, AttributeValue>;
const P = 'One or more parameter values were invalid: ';

async function plainTable(client: DynamoDBClient): Promise<string> {
  const name = uniqueTableName();
  await client.send(new CreateTableCommand({
    TableName: name, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST',
  }));
  return name;
}

async function scanAll(client: DynamoDBClient, input: Record<string, unknown>): Promise<Row[]> {
  const items: Row[] = [];
  let start: Row | undefined;
  do {
    const page = await client.send(new ScanCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) } as never));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function indexStatus(table: string, index: string): Promise<string | undefined> {
  const { Table } = await region.client.send(new DescribeTableCommand({ TableName: table }));
  return Table!.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === index)?.IndexStatus;
}

async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const createByColor = (TableName: string) => new UpdateTableCommand({
  TableName,
  AttributeDefinitions: [{ AttributeName: 'color', AttributeType: 'S' }],
  GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byColor', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
});

describe('UpdateTable GlobalSecondaryIndexUpdates', () => {
  it('creates an index that backfills, stays exact under concurrent writes, then is ACTIVE', async () => {
    const table = await plainTable(region.client);
    const colors = ['red', 'green', 'blue'];
    for (let i = 0; i < 1500; i += 25) {
      await region.client.send(new BatchWriteItemCommand({ RequestItems: { [table]: Array.from({ length: 25 }, (_, j) => ({
        PutRequest: { Item: { pk: { S: `k${i + j}` }, ...((i + j) % 10 ? { color: { S: colors[(i + j) % 3] } } : {}) } },
      })) } }));
    }
    const created = await region.client.send(createByColor(table));
    const described = created.TableDescription!.GlobalSecondaryIndexes![0];
    expect(described).toMatchObject({ IndexName: 'byColor', IndexStatus: 'CREATING', Backfilling: true });
    expect(created.TableDescription!.AttributeDefinitions).toEqual([{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'color', AttributeType: 'S' }]);
    const reading = await failure(region.client.send(new QueryCommand({ TableName: table, IndexName: 'byColor', KeyConditionExpression: 'color = :c', ExpressionAttributeValues: { ':c': { S: 'red' } } })));
    expect(reading.message).toBe('Cannot read from backfilling global secondary index: byColor');
    // Writes while the backfill runs: recolour, uncolour, delete, insert.
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 1500; i += 37) {
      writes.push(region.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `k${i}` }, color: { S: 'violet' } } })));
      writes.push(region.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `k${i + 1}` } } })));
      writes.push(region.client.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: `k${i + 2}` } } })));
      writes.push(region.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `new${i}` }, color: { S: 'red' } } })));
    }
    await Promise.all(writes);
    await until(async () => (await indexStatus(table, 'byColor')) === 'ACTIVE');
    const expected = (await scanAll(region.client, { TableName: table })).filter((item) => item.color).map((item) => `${item.pk.S}:${item.color.S}`).sort();
    const indexed = (await scanAll(region.client, { TableName: table, IndexName: 'byColor' })).map((item) => `${item.pk.S}:${item.color.S}`).sort();
    expect(indexed).toEqual(expected);
    const { Table } = await region.client.send(new DescribeTableCommand({ TableName: table }));
    expect(Table!.GlobalSecondaryIndexes![0].ItemCount).toBe(expected.length);
    expect(Table!.GlobalSecondaryIndexes![0].Backfilling).toBeUndefined();
    const violet = await region.client.send(new QueryCommand({ TableName: table, IndexName: 'byColor', KeyConditionExpression: 'color = :c', ExpressionAttributeValues: { ':c': { S: 'violet' } } }));
    expect(violet.Count).toBe(41);
  });

  it('deletes an index: DELETING, then gone', async () => {
    const table = await createIndexedTable(region.client);
    await region.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'a' }, sk: { S: 'b' }, age: { N: '3' } } }));
    const deleted = await region.client.send(new UpdateTableCommand({ TableName: table, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byAge' } }] }));
    expect(deleted.TableDescription!.GlobalSecondaryIndexes!.find((index) => index.IndexName === 'byAge')!.IndexStatus).toBe('DELETING');
    await until(async () => (await indexStatus(table, 'byAge')) === undefined);
    const error = await failure(region.client.send(new QueryCommand({ TableName: table, IndexName: 'byAge', KeyConditionExpression: 'age = :a', ExpressionAttributeValues: { ':a': { N: '3' } } })));
    expect(error.message).toBe('The table does not have the specified index: byAge');
  });

  it('drops the definitions of a deleted index\'s keys once it is gone, keeping those another key uses', async () => {
    const table = await createIndexedTable(region.client);
    const definitions = async () => (await region.client.send(new DescribeTableCommand({ TableName: table }))).Table!.AttributeDefinitions!.map((d) => d.AttributeName);
    const deleted = await region.client.send(new UpdateTableCommand({ TableName: table, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byAge' } }] }));
    // While the index is DELETING it is still described with its key.
    expect(deleted.TableDescription!.AttributeDefinitions!.map((d) => d.AttributeName)).toContain('age');
    await until(async () => (await indexStatus(table, 'byAge')) === undefined);
    expect(await definitions()).toEqual(['pk', 'sk', 'score', 'city', 'name']);

    await region.client.send(new UpdateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: 'score', AttributeType: 'N' }, { AttributeName: 'spare', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byScoreOnly', KeySchema: [{ AttributeName: 'score', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
    }));
    // A definition no key uses is not kept.
    expect(await definitions()).toEqual(['pk', 'sk', 'score', 'city', 'name']);
    await until(async () => (await indexStatus(table, 'byScoreOnly')) === 'ACTIVE');
    await region.client.send(new UpdateTableCommand({ TableName: table, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byScoreOnly' } }] }));
    await until(async () => (await indexStatus(table, 'byScoreOnly')) === undefined);
    // score is the local index's sort key too.
    expect(await definitions()).toEqual(['pk', 'sk', 'score', 'city', 'name']);
    await region.client.send(new UpdateTableCommand({ TableName: table, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byCity' } }] }));
    await until(async () => (await indexStatus(table, 'byCity')) === undefined);
    expect(await definitions()).toEqual(['pk', 'sk', 'score']);
  });

  it('blocks an index capacity beyond bounds before looking the index up', async () => {
    const table = await plainTable(region.client);
    for (const units of [{ ReadCapacityUnits: 1_000_000_000_001, WriteCapacityUnits: 1 }, { ReadCapacityUnits: 1, WriteCapacityUnits: 1_000_000_000_001 }]) {
      const error = await failure(region.client.send(new UpdateTableCommand({ TableName: table, GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'nothing', ProvisionedThroughput: units } }] })));
      expect(error).toMatchObject({ name: 'ValidationException', message: 'This operation cannot be performed with given input values. Please contact DynamoDB service team for more info: Action Blocked: IndexUpdate' });
    }
  });

  it('updates a provisioned index\'s throughput', async () => {
    const table = uniqueTableName();
    await region.client.send(new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }],
    }));
    const updated = await region.client.send(new UpdateTableCommand({ TableName: table, GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byG', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 2 } } }] }));
    expect(updated.TableDescription!.GlobalSecondaryIndexes![0].ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 2 });
  });

  it.each([
    [[{}], `${P}One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null`],
    [[{ Delete: { IndexName: 'byAge' } }, { Delete: { IndexName: 'byAge' } }], `${P}Only one global secondary index update per index is allowed simultaneously. Index: byAge`],
    [[{ Delete: { IndexName: 'byAge' } }, { Delete: { IndexName: 'byCity' } }], 'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table'],
    [[{ Delete: { IndexName: 'byScore' } }], 'Cannot delete an index that is not a GlobalSecondaryIndex: byScore'],
    [[{ Delete: { IndexName: 'nothing' } }], 'Requested resource not found: Index: nothing not found for table: TABLE'],
    [[{ Create: { IndexName: 'byAge', KeySchema: [{ AttributeName: 'age', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }], 'Attempting to create an index which already exists'],
    [[{ Create: { IndexName: 'byNew', KeySchema: [{ AttributeName: 'age', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }], `${P}AttributeDefinitions is not specified for index: byNew`],
  ])('refuses %j', async (updates, message) => {
    const table = await createIndexedTable(region.client);
    const error = await failure(region.client.send(new UpdateTableCommand({ TableName: table, GlobalSecondaryIndexUpdates: updates as never })));
    expect(error.message).toBe(message.replace('TABLE', table));
  });
});
