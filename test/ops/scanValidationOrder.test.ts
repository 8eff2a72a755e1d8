/**
 * The order in which Scan reports problems, as DynamoDB's recordings show it: AttributesToGet and
 * the ScanFilter before the start key's values; with the table known, the start key against the
 * index, then the table's key, then the segment it belongs to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchWriteItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createIndexedTable } from '../helpers/indexTables.js';
import { rawCall } from '../helpers/rawApi.js';

let region: TestRegion;
let table: string;

beforeAll(async () => {
  region = await startTestRegion();
  table = await createIndexedTable(region.client);
  await region.client.send(new BatchWriteItemCommand({
    RequestItems: {
      [table]: Array.from({ length: 20 }, (_, i) => ({ PutRequest: { Item: { pk: { S: `p${i}` }, sk: { S: 's' }, city: { S: 'Oslo' }, name: { S: `n${i}` } } } })),
    },
  }));
});
afterAll(async () => { await region.stop(); });

const refused = async (input: Record<string, unknown>): Promise<string> => {
  const error = await failure(region.client.send(new ScanCommand({ TableName: table, ...input } as never)));
  expect(error.name).toBe('ValidationException');
  return error.message;
};

describe('Scan validation order', () => {
  it('reports a ScanFilter problem before the start key values', async () => {
    const answer = await rawCall(region.region.endpoint, 'Scan', {
      TableName: table, ExclusiveStartKey: { a: {} },
      ScanFilter: { a: { ComparisonOperator: 'LT', AttributeValueList: [{ BOOL: true }] } },
    });
    expect(answer.json.message).toBe('One or more parameter values were invalid: ComparisonOperator LT is not valid for BOOL AttributeValue type');
  });

  it('lists at most ten constraint failures, in DynamoDB\'s order of members', async () => {
    const answer = await rawCall(region.region.endpoint, 'Scan', {
      TableName: 'abc;', ReturnConsumedCapacity: 'hi', AttributesToGet: [], IndexName: 'abc;', Segment: -1, TotalSegments: -1, Select: 'hi',
      Limit: -1, ScanFilter: { a: {}, b: { ComparisonOperator: '' } }, ConditionalOperator: 'AN',
    });
    const message: string = answer.json.message;
    expect(message.startsWith('10 validation errors detected: ')).toBe(true);
    expect(message).toContain("Value '-1' at 'limit'");
    expect(message).toContain("Value '-1' at 'totalSegments'");
    expect(message).not.toContain('attributesToGet');
  });

  it('words a table start key of the wrong size as a schema mismatch, an index one bare', async () => {
    expect(await refused({ ExclusiveStartKey: { pk: { S: 'p1' } } }))
      .toBe('The provided starting key is invalid: The provided key element does not match the schema');
    expect(await refused({ IndexName: 'byCity', ExclusiveStartKey: { pk: { S: 'p1' }, sk: { S: 's' } } }))
      .toBe('The provided starting key is invalid');
  });

  it('checks an index start key against the index, then the table key inside it', async () => {
    expect(await refused({ IndexName: 'byCity', ExclusiveStartKey: { pk: { S: 'p1' }, sk: { S: 's' }, city: { N: '1' }, name: { S: 'n' } } }))
      .toBe('The provided key element does not match the schema');
    expect(await refused({ IndexName: 'byCity', ExclusiveStartKey: { pk: { N: '1' }, sk: { S: 's' }, city: { S: 'Oslo' }, name: { S: 'n' } } }))
      .toBe('The provided starting key is invalid: The provided key element does not match the schema');
    expect(await refused({ IndexName: 'byCity', Select: 'ALL_ATTRIBUTES', ExclusiveStartKey: { pk: { S: 'p1' }, sk: { S: 's' }, city: { S: 'Oslo' } } }))
      .toBe('The provided starting key is invalid');
  });

  it('refuses a start key from another segment of a parallel scan, and resumes inside its own', async () => {
    const second = await region.client.send(new ScanCommand({ TableName: table, Segment: 1, TotalSegments: 2 }));
    expect(second.Count).toBeGreaterThan(0);
    const key = { pk: second.Items![0].pk, sk: second.Items![0].sk };
    expect(await refused({ Segment: 0, TotalSegments: 2, FilterExpression: 'attribute_exists(pk.b.c)', ExclusiveStartKey: key }))
      .toBe('The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: 2 Segment: 0');
    const resumed = await region.client.send(new ScanCommand({ TableName: table, Segment: 1, TotalSegments: 2, ExclusiveStartKey: key }));
    expect(resumed.Items?.map((item) => item.pk.S)).toEqual(second.Items!.slice(1).map((item) => item.pk.S));
  });
});
