import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchWriteItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
let table: string;
const COUNT = 60;

beforeAll(async () => {
  region = await startTestRegion();
  table = await createTable(region.client);
  for (let start = 0; start < COUNT; start += 25) {
    const batch = Array.from({ length: Math.min(25, COUNT - start) }, (_, i) => ({
      PutRequest: { Item: { pk: { S: `item-${start + i}` }, n: { N: String(start + i) } } },
    }));
    await region.client.send(new BatchWriteItemCommand({ RequestItems: { [table]: batch } }));
  }
});
afterAll(async () => { await region.stop(); });

const scan = (input: Record<string, unknown>) => region.client.send(new ScanCommand({ TableName: table, ...input } as never));

async function scanAll(input: Record<string, unknown>): Promise<string[]> {
  const keys: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await scan({ ...input, ExclusiveStartKey: start });
    keys.push(...(page.Items ?? []).map((item) => item.pk.S!));
    start = page.LastEvaluatedKey;
  } while (start);
  return keys;
}

describe('Scan', () => {
  it('returns every item once across pages', async () => {
    const keys = await scanAll({ Limit: 7 });
    expect(keys).toHaveLength(COUNT);
    expect(new Set(keys).size).toBe(COUNT);
  });

  it('splits the table into disjoint parallel segments that cover it', async () => {
    const segments = await Promise.all([0, 1, 2, 3].map((Segment) => scanAll({ Segment, TotalSegments: 4, Limit: 5 })));
    const all = segments.flat();
    expect(all).toHaveLength(COUNT);
    expect(new Set(all).size).toBe(COUNT);
    expect(segments.filter((segment) => segment.length > 0).length).toBeGreaterThan(1);
  });

  it('filters after reading: ScannedCount counts what was read', async () => {
    const result = await scan({ FilterExpression: 'n < :ten', ExpressionAttributeValues: { ':ten': { N: '10' } } });
    expect(result.Count).toBe(10);
    expect(result.ScannedCount).toBe(COUNT);
  });

  it('honours the legacy ScanFilter parameter with ConditionalOperator', async () => {
    const result = await scan({
      ScanFilter: { n: { ComparisonOperator: 'LT', AttributeValueList: [{ N: '2' }] }, pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'item-59' }] } },
      ConditionalOperator: 'OR',
    });
    expect(result.Items?.map((item) => item.pk.S).sort()).toEqual(['item-0', 'item-1', 'item-59']);
  });

  it('finds a binary run inside a B attribute and a B member of a BS set (contains, CONTAINS, NOT_CONTAINS)', async () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    const binaries = await createTable(region.client);
    const items = {
      string: { S: 'abdef' }, stringSet: { SS: ['abd', 'bde'] }, binary: { B: bytes('abdef') },
      binarySet: { BS: [bytes('bde'), bytes('abcd')] }, exact: { B: bytes('bde') }, other: { B: bytes('abd') },
      list: { L: [{ N: '123' }, { B: bytes('bde') }] },
    };
    await region.client.send(new BatchWriteItemCommand({
      RequestItems: { [binaries]: Object.entries(items).map(([pk, b]) => ({ PutRequest: { Item: { pk: { S: pk }, b } } })) },
    }));
    const names = async (input: Record<string, unknown>) =>
      ((await region.client.send(new ScanCommand({ TableName: binaries, ...input } as never))).Items ?? []).map((item) => item.pk.S).sort();
    const holding = ['binary', 'binarySet', 'exact', 'list'];
    expect(await names({ FilterExpression: 'contains(b, :b)', ExpressionAttributeValues: { ':b': { B: bytes('bde') } } })).toEqual(holding);
    expect(await names({ ScanFilter: { b: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ B: bytes('bde') }] } } })).toEqual(holding);
    expect(await names({ ScanFilter: { b: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [{ B: bytes('bde') }] } } }))
      .toEqual(['other', 'string', 'stringSet']);
  });

  it('applies no expression limit to a legacy ScanFilter: IN with 27,500 values', async () => {
    const values = Array.from({ length: 27_500 }, (_, i) => ({ N: String(i * 2) }));
    const result = await scan({ ScanFilter: { n: { ComparisonOperator: 'IN', AttributeValueList: values } }, Select: 'COUNT' });
    expect(result.Count).toBe(COUNT / 2);
  });

  it('evaluates a ScanFilter of 100,000 conditions', async () => {
    const ScanFilter = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`absent${i}`, { ComparisonOperator: 'NULL' }]));
    const result = await scan({ ScanFilter, Select: 'COUNT' });
    expect(result.Count).toBe(COUNT);
  });

  it.each([
    [{ n: { ComparisonOperator: 'LT', AttributeValueList: [{ SS: ['a'] }] } }, 'One or more parameter values were invalid: ComparisonOperator LT is not valid for SS AttributeValue type'],
    [{ n: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ L: [] }] } }, 'One or more parameter values were invalid: ComparisonOperator CONTAINS is not valid for L AttributeValue type'],
    [{ n: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ N: '1' }] } }, 'One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type'],
    [{ n: { ComparisonOperator: 'IN', AttributeValueList: [{ S: 'b' }, { N: '1' }] } }, 'One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type'],
    [{ n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '2' }, { N: '1' }] } }, 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'],
  ])('words a legacy ScanFilter problem as DynamoDB does for legacy parameters %#', async (ScanFilter, message) => {
    const error = await failure(scan({ ScanFilter }));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message);
  });

  it('stops a page at 1 MB and returns a LastEvaluatedKey', async () => {
    const big = await createTable(region.client);
    const value = 'x'.repeat(300 * 1024);
    for (let i = 0; i < 5; i += 1) {
      await region.client.send(new PutItemCommand({ TableName: big, Item: { pk: { S: `big-${i}` }, v: { S: value } } }));
    }
    const first = await region.client.send(new ScanCommand({ TableName: big }));
    expect(first.ScannedCount).toBe(4);
    expect(first.LastEvaluatedKey).toBeDefined();
    const rest = await region.client.send(new ScanCommand({ TableName: big, ExclusiveStartKey: first.LastEvaluatedKey }));
    expect(rest.ScannedCount).toBe(1);
  });

  it.each([
    [{ Segment: 1 }, 'The TotalSegments parameter is required but was not present in the request when Segment parameter is present'],
    [{ TotalSegments: 2 }, 'The Segment parameter is required but was not present in the request when parameter TotalSegments is present'],
    [{ Segment: 2, TotalSegments: 2 }, 'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 2 is not less than TotalSegments: 2'],
    [{ Select: 'SPECIFIC_ATTRIBUTES' }, 'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES'],
    [{ Select: 'ALL_ATTRIBUTES', ProjectionExpression: 'n' }, 'Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES'],
    [{ Limit: 0 }, "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"],
    [{ ExclusiveStartKey: { nope: { S: 'x' } } }, 'The provided starting key is invalid: The provided key element does not match the schema'],
    [{ FilterExpression: 'attribute_exists(n) AND attribute_exists(#k.b.c)', ExpressionAttributeNames: { '#k': 'pk' } }, "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk"],
    [{ ProjectionExpression: 'pk[0]' }, "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk"],
  ])('rejects %#: %s', async (input, message) => {
    const error = await failure(scan(input));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message);
  });
});
