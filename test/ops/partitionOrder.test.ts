/**
 * The order DynamoDB keeps items in: partitions by an MD5 digest of their key, parallel Scan
 * segments as ranges of that digest, and index entries with equal index keys by the digest of
 * the table key. The expected orders are DynamoDB's own answers to the same requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchWriteItemCommand, QueryCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { startTestRegion, type TestRegion } from '../helpers/region.js';
import { createIndexedTable } from '../helpers/indexTables.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;

beforeAll(async () => { region = await startTestRegion(); });
afterAll(async () => { await region.stop(); });

async function put(table: string, items: Record<string, AttributeValue>[]): Promise<void> {
  await region.client.send(new BatchWriteItemCommand({ RequestItems: { [table]: items.map((Item) => ({ PutRequest: { Item } })) } }));
}

async function scanKeys(table: string, input: { Segment?: number; TotalSegments?: number } = {}): Promise<string[]> {
  const result = await region.client.send(new ScanCommand({ TableName: table, ...input }));
  return (result.Items ?? []).map((item) => item.pk.S ?? item.pk.N!);
}

describe('partition order', () => {
  it('scans string partitions in DynamoDB\'s order', async () => {
    const table = await createTable(region.client, 'S');
    const keys = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'aardman', 'hello', 'zapf', 'äáöü'];
    await put(table, keys.map((pk) => ({ pk: { S: pk } })));
    expect(await scanKeys(table)).toEqual(['2', '8', '9', '1', '6', 'hello', '0', '5', '4', 'äáöü', 'aardman', '7', '3', 'zapf']);
  });

  it('scans number partitions in DynamoDB\'s order', async () => {
    const table = await createTable(region.client, 'N');
    const keys = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '-0.09', '999.9', '0.012345', '-999.9'];
    await put(table, keys.map((pk) => ({ pk: { N: pk } })));
    expect(await scanKeys(table)).toEqual(['7', '999.9', '8', '3', '2', '-999.9', '9', '4', '-0.09', '6', '1', '0', '0.012345', '5']);
  });

  it('puts string partitions in the parallel Scan segments DynamoDB puts them in', async () => {
    const table = await createTable(region.client, 'S');
    await put(table, ['3635', '228', '1668', '3435'].map((pk) => ({ pk: { S: pk } })));
    expect((await scanKeys(table, { Segment: 0, TotalSegments: 4096 })).sort()).toEqual(['228', '3635']);
    expect(await scanKeys(table, { Segment: 1, TotalSegments: 4096 })).toEqual(['1668']);
    expect(await scanKeys(table, { Segment: 4, TotalSegments: 4096 })).toEqual(['3435']);
  });

  it('puts number partitions in the parallel Scan segments DynamoDB puts them in', async () => {
    const table = await createTable(region.client, 'N');
    await put(table, [{ pk: { N: '251' } }, { pk: { N: '2388' } }]);
    expect(await scanKeys(table, { Segment: 1, TotalSegments: 4096 })).toEqual(['251']);
    expect(await scanKeys(table, { Segment: 4095, TotalSegments: 4096 })).toEqual(['2388']);
  });

  it('orders global index entries with equal index keys as DynamoDB does', async () => {
    const table = await createIndexedTable(region.client);
    const keys = [['a', 'a'], ['b', 'a'], ['c', 'a'], ['c', 'b'], ['d', 'a'], ['d', 'b']];
    await put(table, keys.map(([pk, sk]) => ({ pk: { S: pk }, sk: { S: sk }, city: { S: 'x' }, name: { S: 'a' } })));
    const result = await region.client.send(new QueryCommand({
      TableName: table, IndexName: 'byCity',
      KeyConditionExpression: 'city = :city', ExpressionAttributeValues: { ':city': { S: 'x' } },
    }));
    expect(result.Items!.map((item) => `${item.pk.S}${item.sk.S}`)).toEqual(['aa', 'da', 'ba', 'ca', 'db', 'cb']);
  });
});
