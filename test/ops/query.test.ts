import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchWriteItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
let table: string;
const sortKeys = ['-10', '-1.5', '0', '1', '2', '10', '100.25'];

beforeAll(async () => {
  region = await startTestRegion();
  table = await createTable(region.client, 'S', 'N');
  await region.client.send(new BatchWriteItemCommand({
    RequestItems: {
      [table]: [
        ...sortKeys.map((sk) => ({ PutRequest: { Item: { pk: { S: 'p' }, sk: { N: sk }, even: { BOOL: Number(sk) % 2 === 0 } } } })),
        { PutRequest: { Item: { pk: { S: 'other' }, sk: { N: '5' } } } },
      ],
    },
  }));
});
afterAll(async () => { await region.stop(); });

const query = (input: Record<string, unknown>) => region.client.send(new QueryCommand({ TableName: table, ...input } as never));
const sks = (items: Record<string, { N?: string }>[] | undefined) => (items ?? []).map((item) => item.sk.N ?? "");

describe('Query', () => {
  it('returns one partition in numeric sort order, forward and backward', async () => {
    const forward = await query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } });
    expect(sks(forward.Items as never)).toEqual(sortKeys);
    expect(forward.Count).toBe(7);
    const backward = await query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, ScanIndexForward: false });
    expect(sks(backward.Items as never)).toEqual([...sortKeys].reverse());
  });

  it.each([
    ['sk < :a', { ':a': { N: '1' } }, ['-10', '-1.5', '0']],
    ['sk <= :a', { ':a': { N: '1' } }, ['-10', '-1.5', '0', '1']],
    ['sk > :a', { ':a': { N: '1' } }, ['2', '10', '100.25']],
    ['sk >= :a', { ':a': { N: '1' } }, ['1', '2', '10', '100.25']],
    ['sk = :a', { ':a': { N: '10' } }, ['10']],
    ['sk BETWEEN :a AND :b', { ':a': { N: '-1.5' }, ':b': { N: '2' } }, ['-1.5', '0', '1', '2']],
  ])('narrows by %s', async (condition, values, expected) => {
    const result = await query({ KeyConditionExpression: `pk = :p AND ${condition}`, ExpressionAttributeValues: { ':p': { S: 'p' }, ...values } });
    expect(sks(result.Items as never)).toEqual(expected);
  });

  it('pages with Limit and ExclusiveStartKey, applying the filter after the limit', async () => {
    const seen: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    let pages = 0;
    do {
      const page = await query({
        KeyConditionExpression: 'pk = :p', FilterExpression: 'even = :t',
        ExpressionAttributeValues: { ':p': { S: 'p' }, ':t': { BOOL: true } },
        Limit: 3, ExclusiveStartKey: startKey,
      });
      expect(page.ScannedCount).toBeLessThanOrEqual(3);
      seen.push(...sks(page.Items as never));
      startKey = page.LastEvaluatedKey;
      pages += 1;
    } while (startKey);
    expect(seen).toEqual(['-10', '0', '2', '10']);
    expect(pages).toBe(3);
  });

  it('counts with Select COUNT and projects with ProjectionExpression', async () => {
    const counted = await query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, Select: 'COUNT' });
    expect(counted.Count).toBe(7);
    expect(counted.Items).toBeUndefined();
    const projected = await query({ KeyConditionExpression: 'pk = :p AND sk = :s', ExpressionAttributeValues: { ':p': { S: 'p' }, ':s': { N: '0' } }, ProjectionExpression: 'even' });
    expect(projected.Items).toEqual([{ even: { BOOL: true } }]);
  });

  it('honours the legacy KeyConditions, QueryFilter and AttributesToGet parameters', async () => {
    const result = await query({
      KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] }, sk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '0' }, { N: '10' }] } },
      QueryFilter: { even: { ComparisonOperator: 'EQ', AttributeValueList: [{ BOOL: true }] } },
      AttributesToGet: ['sk'],
    });
    expect(result.Items).toEqual([{ sk: { N: '0' } }, { sk: { N: '2' } }, { sk: { N: '10' } }]);
  });

  it.each([
    [{ KeyConditionExpression: 'sk = :s', ExpressionAttributeValues: { ':s': { N: '1' } } }, 'Query condition missed key schema element: pk'],
    [{ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { N: '1' } } }, 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
    [{}, 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.'],
    [{ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, Select: 'SPECIFIC_ATTRIBUTES' }, '1 validation error detected: Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES'],
    [{ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, IndexName: 'byOther' }, 'The table does not have the specified index: byOther'],
    [{ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, ExclusiveStartKey: { pk: { S: 'other' }, sk: { N: '5' } } }, 'The provided starting key is outside query boundaries based on provided conditions'],
    [{ KeyConditionExpression: 'pk = :p', FilterExpression: 'attribute_exists(pk.b) AND even = :t', ExpressionAttributeValues: { ':p': { S: 'p' }, ':t': { BOOL: true } } }, 'Filter Expression can only contain non-primary key attributes: Primary key attribute: pk'],
    [{ KeyConditionExpression: 'pk = :p', FilterExpression: 'NOT (even = :t OR sk[1] = :t)', ExpressionAttributeValues: { ':p': { S: 'p' }, ':t': { BOOL: true } } }, 'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk'],
    [{ KeyConditionExpression: 'pk = :p', FilterExpression: 'sk = :t AND pk = :t', ExpressionAttributeValues: { ':p': { S: 'p' }, ':t': { BOOL: true } } }, 'Filter Expression can only contain non-primary key attributes: Primary key attribute: pk'],
    [{ KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] } }, QueryFilter: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] } } }, 'QueryFilter can only contain non-primary key attributes: Primary key attribute: pk'],
    [{ KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] } }, QueryFilter: { sk: { ComparisonOperator: 'NOT_NULL' } } }, 'QueryFilter can only contain non-primary key attributes: Primary key attribute: sk'],
    [{ KeyConditionExpression: 'pk = :p', ProjectionExpression: 'even, sk.x', ExpressionAttributeValues: { ':p': { S: 'p' } } }, "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: sk"],
    [{ KeyConditions: {} }, 'Conditions can be of length 1 or 2 only'],
    [{ KeyConditionExpression: ':a = pk and sk = :a and :a = c', ExpressionAttributeValues: { ':a': { S: 'a' } } }, 'Conditions can be of length 1 or 2 only'],
    [{ KeyConditions: { pk: { ComparisonOperator: 'NULL' } } }, 'Attempted conditional constraint is not an indexable operation'],
    [{ KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] }, sk: { ComparisonOperator: 'IN', AttributeValueList: [{ N: '1' }] } } }, 'Attempted conditional constraint is not an indexable operation'],
    [{ KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] }, c: { ComparisonOperator: 'NULL' } } }, 'Query condition missed key schema element: sk'],
    [{ KeyConditions: { pk: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'p' }] } } }, 'Query key condition not supported'],
    [{ KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '1' }] } } }, 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
  ])('rejects %#: %s', async (input, message) => {
    const error = await failure(query(input));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message);
  });
});

describe('Query on string sort keys', () => {
  it('orders by UTF-8 bytes and supports begins_with', async () => {
    const strings = await createTable(region.client, 'S', 'S');
    const values = ['b', 'a', 'ab', 'abc', 'A', 'é', '𝄞', '\uffff', 'aa'];
    await region.client.send(new BatchWriteItemCommand({ RequestItems: { [strings]: values.map((sk) => ({ PutRequest: { Item: { pk: { S: 'p' }, sk: { S: sk } } } })) } }));
    const all = await region.client.send(new QueryCommand({ TableName: strings, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } }));
    const byBytes = [...values].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(all.Items?.map((item) => item.sk.S)).toEqual(byBytes);
    const prefixed = await region.client.send(new QueryCommand({ TableName: strings, KeyConditionExpression: 'pk = :p AND begins_with(sk, :a)', ExpressionAttributeValues: { ':p': { S: 'p' }, ':a': { S: 'a' } } }));
    expect(prefixed.Items?.map((item) => item.sk.S)).toEqual(['a', 'aa', 'ab', 'abc']);
  });
});
