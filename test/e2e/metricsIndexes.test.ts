/** /admin/metrics and /metrics count each secondary index's entries and size, as DescribeTable does. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchWriteItemCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { startTestRegion, type TestRegion } from '../helpers/region.js';
import { createIndexedTable } from '../helpers/indexTables.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
let indexed: string;
let plain: string;

beforeAll(async () => {
  region = await startTestRegion();
  indexed = await createIndexedTable(region.client);
  plain = await createTable(region.client);
  await region.client.send(new BatchWriteItemCommand({
    RequestItems: {
      [indexed]: [
        { PutRequest: { Item: { pk: { S: 'a' }, sk: { S: '1' }, score: { N: '1' }, city: { S: 'Oslo' }, name: { S: 'Ann' }, age: { N: '30' } } } },
        { PutRequest: { Item: { pk: { S: 'a' }, sk: { S: '2' }, age: { N: '31' } } } },
        { PutRequest: { Item: { pk: { S: 'b' }, sk: { S: '1' } } } },
      ],
    },
  }));
});
afterAll(async () => { await region.stop(); });

describe('index metrics', () => {
  it('lists each index of a table with its entries and size, and nothing for a table without indexes', async () => {
    const metrics = await (await fetch(`${region.region.endpoint}/admin/metrics`)).json() as { tables: { name: string; indexes?: unknown[] }[] };
    const { Table } = await region.client.send(new DescribeTableCommand({ TableName: indexed }));
    const sizeOf = (name: string) => [...Table!.LocalSecondaryIndexes!, ...Table!.GlobalSecondaryIndexes!].find((index) => index.IndexName === name)!.IndexSizeBytes;
    expect(metrics.tables.find((t) => t.name === indexed)!.indexes).toEqual([
      { name: 'byScore', kind: 'local', items: 1, sizeBytes: sizeOf('byScore') },
      { name: 'byCity', kind: 'global', items: 1, sizeBytes: sizeOf('byCity') },
      { name: 'byAge', kind: 'global', items: 2, sizeBytes: sizeOf('byAge') },
    ]);
    expect(metrics.tables.find((t) => t.name === plain)!.indexes).toBeUndefined();

    const text = await (await fetch(`${region.region.endpoint}/metrics`)).text();
    expect(text).toContain(`globaltables_index_items{region="us-east-1",table="${indexed}",index="byAge"} 2`);
    expect(text).toContain(`globaltables_index_size_bytes{region="us-east-1",table="${indexed}",index="byCity"} ${sizeOf('byCity')}`);
  });
});
