import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DescribeTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, uniqueTableName, type TestRegion } from '../helpers/region.js';
import { createIndexedTable } from '../helpers/indexTables.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion(); });
afterAll(async () => { await region.stop(); });

const P = 'One or more parameter values were invalid: ';
const defs = (...names: string[]) => names.map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const }));
const keys = (hash: string, range?: string) => [{ AttributeName: hash, KeyType: 'HASH' as const }, ...(range ? [{ AttributeName: range, KeyType: 'RANGE' as const }] : [])];
const throughput = { ReadCapacityUnits: 1, WriteCapacityUnits: 1 };
const base = (extra: Partial<CreateTableCommandInput>): CreateTableCommandInput => ({
  TableName: uniqueTableName(), AttributeDefinitions: defs('a', 'b'), KeySchema: keys('a', 'b'), ProvisionedThroughput: throughput, ...extra,
});
const lsi = (IndexName: string, hash: string, range: string | undefined, Projection: object = { ProjectionType: 'ALL' }) => ({ IndexName, KeySchema: keys(hash, range), Projection });
const gsi = (IndexName: string, hash: string, range?: string, Projection: object = { ProjectionType: 'ALL' }, ProvisionedThroughput: typeof throughput | undefined = throughput) =>
  ({ IndexName, KeySchema: keys(hash, range), Projection, ...(ProvisionedThroughput ? { ProvisionedThroughput } : {}) });

describe('CreateTable with secondary indexes', () => {
  it.each([
    [{ KeySchema: keys('a'), LocalSecondaryIndexes: [] }, `${P}List of LocalSecondaryIndexes is empty`],
    [{ KeySchema: keys('a'), LocalSecondaryIndexes: [lsi('abc', 'a', 'b')] }, `${P}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`],
    [{ LocalSecondaryIndexes: [lsi('abc', 'a', 'c')] }, `${P}Some index key attributes are not defined in AttributeDefinitions. Keys: [a, c], AttributeDefinitions: [a, b]`],
    [{ LocalSecondaryIndexes: [lsi('abc', 'a', 'a')] }, 'Both the Hash Key and the Range Key element in the KeySchema have the same name'],
    [{ LocalSecondaryIndexes: [lsi('abc', 'b', undefined)] }, `${P}Index KeySchema does not have a range key for index: abc`],
    [{ LocalSecondaryIndexes: [lsi('abc', 'b', 'a')] }, `${P}Index KeySchema does not have the same leading hash key as table KeySchema for index: abc. index hash key: b, table hash key: a`],
    [{ LocalSecondaryIndexes: [lsi('abc', 'a', 'b', {})] }, `${P}Unknown ProjectionType: null`],
    [{ LocalSecondaryIndexes: [lsi('abc', 'a', 'b', { ProjectionType: 'KEYS_ONLY', NonKeyAttributes: ['x'] })] }, `${P}ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified`],
    [{ LocalSecondaryIndexes: [lsi('abc', 'a', 'b', { ProjectionType: 'INCLUDE' })] }, `${P}ProjectionType is INCLUDE, but NonKeyAttributes is not specified`],
    [{ LocalSecondaryIndexes: [lsi('abc', 'a', 'b'), lsi('abc', 'a', 'b')] }, `${P}Duplicate index name: abc`],
    [{ LocalSecondaryIndexes: [1, 2, 3, 4, 5, 6].map((i) => lsi(`ix${i}`, 'a', 'b')) }, `${P}Number of LocalSecondaryIndexes exceeds per-table limit of 5`],
    [{ GlobalSecondaryIndexes: [] }, `${P}List of GlobalSecondaryIndexes is empty`],
    [{ GlobalSecondaryIndexes: [gsi('abc', 'c')] }, `${P}Some index key attributes are not defined in AttributeDefinitions. Keys: [c], AttributeDefinitions: [a, b]`],
    [{ GlobalSecondaryIndexes: [{ ...gsi('abc', 'b', 'a'), KeySchema: [{ AttributeName: 'b', KeyType: 'RANGE' as const }] }] }, 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type'],
    [{ GlobalSecondaryIndexes: [gsi('abc', 'b', undefined, { ProjectionType: 'ALL', NonKeyAttributes: ['x'] })] }, `${P}ProjectionType is ALL, but NonKeyAttributes is specified`],
    [{ GlobalSecondaryIndexes: Array.from({ length: 21 }, (_, i) => gsi(`ix${i}`, 'b')) }, `${P}GlobalSecondaryIndex count exceeds the per-table limit of 20`],
    [{ LocalSecondaryIndexes: [lsi('abc', 'a', 'b')], GlobalSecondaryIndexes: [gsi('abc', 'b')] }, `${P}Duplicate index name: abc`],
    [{ GlobalSecondaryIndexes: [gsi('abc', 'b', undefined, undefined, null as never)] }, `${P}ProvisionedThroughput is not specified for index: abc`],
    [{ ProvisionedThroughput: undefined, BillingMode: 'PAY_PER_REQUEST', GlobalSecondaryIndexes: [gsi('abc', 'b', undefined, undefined, null as never), gsi('abd', 'b')] },
      `${P}ProvisionedThroughput should not be specified for index: abd when BillingMode is PAY_PER_REQUEST`],
    [{ AttributeDefinitions: defs('a', 'b', 'c'), GlobalSecondaryIndexes: [gsi('abc', 'b')] }, `${P}Some AttributeDefinitions are not used. AttributeDefinitions: [a, b, c], keys used: [a, b]`],
    [{ GlobalSecondaryIndexes: [gsi('abc', 'b', undefined, { ProjectionType: 'INCLUDE', NonKeyAttributes: Array.from({ length: 101 }, (_, i) => `n${i}`) })] },
      `${P}Number of projected attributes in all indexes exceeds limit of 100, number of projected attributes: 101`],
    [{ LocalSecondaryIndexes: [{ IndexName: 'h;', KeySchema: [], Projection: {} }] as never },
      "2 validation errors detected: Value 'h;' at 'localSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must have length greater than or equal to 3; "
      + "Value '[]' at 'localSecondaryIndexes.1.member.keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1"],
  ])('rejects %j with DynamoDB\'s message', async (extra, message) => {
    const error = await failure(region.client.send(new CreateTableCommand(base(extra as Partial<CreateTableCommandInput>))));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message);
  });

  it('describes its indexes, CREATING with the table and ACTIVE after', async () => {
    const slow = await startTestRegion({ settings: { createTableMs: 300 } });
    try {
      const name = uniqueTableName();
      const created = (await slow.client.send(new CreateTableCommand(base({
        TableName: name,
        AttributeDefinitions: defs('a', 'b', 'c'),
        LocalSecondaryIndexes: [lsi('byC', 'a', 'c', { ProjectionType: 'KEYS_ONLY' })],
        GlobalSecondaryIndexes: [gsi('byB', 'b', 'a', { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] }, { ReadCapacityUnits: 3, WriteCapacityUnits: 4 })],
      })))).TableDescription!;
      const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`;
      expect(created.LocalSecondaryIndexes).toEqual([{
        IndexName: 'byC', KeySchema: keys('a', 'c'), Projection: { ProjectionType: 'KEYS_ONLY' }, IndexSizeBytes: 0, ItemCount: 0, IndexArn: `${arn}/index/byC`,
      }]);
      expect(created.GlobalSecondaryIndexes).toEqual([{
        IndexName: 'byB', KeySchema: keys('b', 'a'), Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] }, IndexStatus: 'CREATING',
        ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 3, WriteCapacityUnits: 4 }, IndexSizeBytes: 0, ItemCount: 0, IndexArn: `${arn}/index/byB`,
      }]);
      let table = (await slow.client.send(new DescribeTableCommand({ TableName: name }))).Table!;
      while (table.TableStatus !== 'ACTIVE') table = (await slow.client.send(new DescribeTableCommand({ TableName: name }))).Table!;
      expect(table.GlobalSecondaryIndexes![0].IndexStatus).toBe('ACTIVE');
    } finally {
      await slow.stop();
    }
  });

  it('gives a PAY_PER_REQUEST table\'s global indexes zero throughput', async () => {
    const name = await createIndexedTable(region.client);
    const { Table } = await region.client.send(new DescribeTableCommand({ TableName: name }));
    expect(Table!.GlobalSecondaryIndexes!.map((index) => index.ProvisionedThroughput)).toEqual([
      { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
      { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
    ]);
  });
});
