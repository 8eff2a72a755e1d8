import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchWriteItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createIndexedTable } from '../helpers/indexTables.js';

let region: TestRegion;
let table: string;
type Row = Record<string, AttributeValue>;

beforeAll(async () => {
  region = await startTestRegion();
  table = await createIndexedTable(region.client);
  const rows: Row[] = Array.from({ length: 40 }, (_, i) => ({
    pk: { S: `p${i % 7}` }, sk: { S: `s${i}` },
    ...(i % 4 !== 0 ? { city: { S: `c${i % 5}` }, name: { S: `n${i}` } } : {}),
    note: { S: `x${i}` },
  }));
  for (let i = 0; i < rows.length; i += 20) {
    await region.client.send(new BatchWriteItemCommand({ RequestItems: { [table]: rows.slice(i, i + 20).map((Item) => ({ PutRequest: { Item } })) } }));
  }
});
afterAll(async () => { await region.stop(); });

const scan = (input: Record<string, unknown>) => region.client.send(new ScanCommand({ TableName: table, IndexName: 'byCity', ...input } as never));

async function scanAll(input: Record<string, unknown>): Promise<Row[]> {
  const items: Row[] = [];
  let start: Row | undefined;
  do {
    const page = await scan({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) });
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

describe('Scan on a secondary index', () => {
  it('returns exactly the items that have the index keys, projected, over pages', async () => {
    const items = await scanAll({ Limit: 7 });
    expect(items).toHaveLength(30);
    expect(new Set(items.map((item) => item.sk.S)).size).toBe(30);
    expect(items.every((item) => !('note' in item) && 'city' in item)).toBe(true);
  });

  it('splits into segments that together cover the index once', async () => {
    const segments = await Promise.all([0, 1, 2].map((Segment) => scanAll({ Segment, TotalSegments: 3, Limit: 5 })));
    const keys = segments.flat().map((item) => item.sk.S).sort();
    expect(keys).toEqual((await scanAll({})).map((item) => item.sk.S).sort());
  });

  it('refuses ALL_ATTRIBUTES on a global index that does not project all', async () => {
    const error = await failure(scan({ Select: 'ALL_ATTRIBUTES' }));
    expect(error.message).toBe('One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index byCity because its projection type is not ALL');
  });
});
