import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { addReplica, eventually, startCluster, type TestCluster } from '../helpers/cluster.js';
import { createIndexedTable } from '../helpers/indexTables.js';

let cluster: TestCluster;
beforeAll(async () => { cluster = await startCluster(['us-east-1', 'eu-west-1']); }, 60_000);
afterAll(async () => { await cluster?.stop(); });

const indexNames = async (region: TestCluster['regions'][number], table: string): Promise<string[]> => {
  const { Table } = await region.client.send(new DescribeTableCommand({ TableName: table }));
  return [...(Table?.LocalSecondaryIndexes ?? []), ...(Table?.GlobalSecondaryIndexes ?? [])].map((index) => index.IndexName!).sort();
};

describe('secondary indexes of a global table', () => {
  it('gives a new replica the table\'s indexes, answers index queries with replicated items, and shares a created and a deleted index', async () => {
    const [a, b] = cluster.regions;
    const table = await createIndexedTable(a.client, 'indexed');
    await eventually(async () => (await a.client.send(new DescribeTableCommand({ TableName: table }))).Table?.TableStatus === 'ACTIVE', 10_000, 'table ACTIVE');
    await a.doc.send(new PutCommand({ TableName: table, Item: { pk: 'p', sk: 'before', city: 'Oslo', name: 'Ann', age: 30 } }));
    await addReplica(a, table, b.name);
    expect(await indexNames(b, table)).toEqual(['byAge', 'byCity', 'byScore']);

    await a.doc.send(new PutCommand({ TableName: table, Item: { pk: 'p', sk: 'after', city: 'Oslo', name: 'Bob', age: 31 } }));
    const inOslo = await eventually(async () => {
      const result = await b.doc.send(new QueryCommand({ TableName: table, IndexName: 'byCity', KeyConditionExpression: 'city = :c', ExpressionAttributeValues: { ':c': 'Oslo' } }));
      return result.Count === 2 ? result.Items : undefined;
    }, 10_000, 'both items in the replica\'s index');
    expect(inOslo!.map((item) => item.name)).toEqual(['Ann', 'Bob']);

    await b.client.send(new UpdateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: 'color', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byColor', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
    }));
    await eventually(async () => (await indexNames(a, table)).includes('byColor'), 10_000, 'byColor in the other region');
    await b.doc.send(new PutCommand({ TableName: table, Item: { pk: 'p', sk: 'colored', color: 'red' } }));
    await eventually(async () => {
      try {
        const result = await a.doc.send(new QueryCommand({ TableName: table, IndexName: 'byColor', KeyConditionExpression: 'color = :c', ExpressionAttributeValues: { ':c': 'red' } }));
        return result.Count === 1;
      } catch {
        return false; // still backfilling
      }
    }, 10_000, 'the colored item in the other region\'s new index');

    await a.client.send(new UpdateTableCommand({ TableName: table, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byAge' } }] }));
    await eventually(async () => !(await indexNames(b, table)).includes('byAge'), 10_000, 'byAge gone in the other region');
  });
});
