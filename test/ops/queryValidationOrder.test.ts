/**
 * The order in which Query reports problems, as DynamoDB's recordings show it: the QueryFilter,
 * AttributesToGet, the start key's values, the expression parameters, KeyConditions; then, with
 * the table known, the ExclusiveStartKey against the key read, attribute by attribute, then
 * where it lies relative to the key condition.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchWriteItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
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
      [table]: ['a', 'b', 'c'].map((sk, i) => ({
        PutRequest: { Item: { pk: { S: 'p' }, sk: { S: sk }, score: { N: String(i) }, city: { S: 'Oslo' }, name: { S: sk } } },
      })),
    },
  }));
});
afterAll(async () => { await region.stop(); });

const raw = async (body: Record<string, unknown>): Promise<string> => {
  const answer = await rawCall(region.region.endpoint, 'Query', { TableName: table, ...body });
  expect(answer.error).toBe('ValidationException');
  return answer.json.message;
};
const refused = async (input: Record<string, unknown>): Promise<string> => {
  const error = await failure(region.client.send(new QueryCommand({ TableName: table, ...input } as never)));
  expect(error.name).toBe('ValidationException');
  return error.message;
};

describe('Query validation order before the table is read', () => {
  it('reports a QueryFilter value or argument problem before a duplicate in AttributesToGet', async () => {
    const base = { ExclusiveStartKey: { a: {} }, AttributesToGet: ['a', 'a'], KeyConditions: { a: { ComparisonOperator: 'EQ', AttributeValueList: [{}] } } };
    expect(await raw({ ...base, QueryFilter: { a: { ComparisonOperator: 'EQ', AttributeValueList: [{}, { S: '' }] } } }))
      .toBe('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
    expect(await raw({ ...base, QueryFilter: { a: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }, { S: 'b' }] } } }))
      .toBe('One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator');
    expect(await raw({ ...base, QueryFilter: {} })).toBe('One or more parameter values were invalid: Duplicate value in attribute name: a');
  });

  it('checks an empty KeyConditionExpression and its attribute maps before asking for a key condition', async () => {
    const base = { KeyConditionExpression: '', ExpressionAttributeValues: {} };
    expect(await raw({ ...base, ExpressionAttributeNames: {} })).toBe('ExpressionAttributeNames must not be empty');
    expect(await raw({ ...base, ExpressionAttributeNames: { a: 'a' } })).toBe('ExpressionAttributeNames contains invalid key: Syntax error; key: "a"');
    expect(await raw({ KeyConditionExpression: '', ExpressionAttributeValues: {} })).toBe('ExpressionAttributeValues must not be empty');
    expect(await raw({ KeyConditionExpression: '' })).toBe('Invalid KeyConditionExpression: The expression can not be empty;');
    expect(await raw({})).toBe('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  });

  it('lists at most ten constraint failures, in DynamoDB\'s order of members', async () => {
    const answer = await rawCall(region.region.endpoint, 'Query', {
      TableName: 'abc;', ReturnConsumedCapacity: 'hi', AttributesToGet: [], IndexName: 'abc;', Select: 'hi', Limit: -1,
      KeyConditions: { a: {}, b: { ComparisonOperator: '' } }, ConditionalOperator: 'AN', QueryFilter: { a: {}, b: { ComparisonOperator: '' } },
    });
    const message: string = answer.json.message;
    expect(message.startsWith('10 validation errors detected: ')).toBe(true);
    expect(message).toContain("Value '' at 'queryFilter.b.member.comparisonOperator'");
    expect(message).toContain("Value null at 'keyConditions.a.member.comparisonOperator'");
    expect(message).not.toContain('keyConditions.b');
  });

  it('checks each KeyConditions argument list before how many conditions there are', async () => {
    const three = { a: { ComparisonOperator: 'EQ' }, b: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'x' }] }, c: { ComparisonOperator: 'NULL' } };
    expect(await raw({ KeyConditions: three }))
      .toBe('One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator');
    expect(await raw({ KeyConditions: {} })).toBe('Conditions can be of length 1 or 2 only');
  });
});

describe('Query ExclusiveStartKey against the key schema', () => {
  const onPk = { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } };
  const missingPk = { KeyConditionExpression: 'zz = :z', ExpressionAttributeValues: { ':z': { N: '1' } } };

  it('refuses a start key of the wrong size or missing a key attribute before matching the condition', async () => {
    for (const key of [{}, { sk: { S: 'a' } }, { zz: { S: 'a' }, sk: { S: 'a' } }, { pk: { S: 'p' }, sk: { S: 'a' }, zz: { S: 'a' } }]) {
      expect(await refused({ ...missingPk, ExclusiveStartKey: key })).toBe('The provided starting key is invalid');
    }
  });

  it('refuses a key attribute of the wrong type as a schema mismatch', async () => {
    expect(await refused({ ...missingPk, ExclusiveStartKey: { pk: { N: '1' }, sk: { S: 'a' } } }))
      .toBe('The provided key element does not match the schema');
    expect(await refused({ ...onPk, ExclusiveStartKey: { pk: { S: 'p' }, sk: { N: '1' } } }))
      .toBe('The provided key element does not match the schema');
    // A well-formed start key lets the key condition's own problem through.
    expect(await refused({ ...missingPk, ExclusiveStartKey: { pk: { S: 'p' }, sk: { S: 'a' } } }))
      .toBe('Query condition missed key schema element: pk');
  });

  it('on an index, reports the table key inside the start key with the invalid-start-key prefix', async () => {
    const byCity = { IndexName: 'byCity', KeyConditionExpression: 'city = :c', ExpressionAttributeValues: { ':c': { S: 'Oslo' } } };
    expect(await refused({ ...byCity, ExclusiveStartKey: { pk: { N: '1' }, sk: { S: 'a' }, city: { S: 'Oslo' }, name: { S: 'a' } } }))
      .toBe('The provided starting key is invalid: The provided key element does not match the schema');
    expect(await refused({ ...byCity, ExclusiveStartKey: { x: { S: '1' }, sk: { S: 'a' }, city: { S: 'Oslo' }, name: { S: 'a' } } }))
      .toBe('The provided starting key is invalid: The provided key element does not match the schema');
    expect(await refused({ ...byCity, ExclusiveStartKey: { pk: { S: 'p' }, sk: { S: 'a' }, city: { S: 'Oslo' } } }))
      .toBe('The provided starting key is invalid');
  });

  it('reports a global index Select ALL_ATTRIBUTES after the start key and the key condition', async () => {
    const select = { IndexName: 'byCity', Select: 'ALL_ATTRIBUTES' };
    expect(await refused({ ...select, KeyConditionExpression: 'city = :c', ExpressionAttributeValues: { ':c': { S: 'Oslo' } }, ExclusiveStartKey: { city: { S: 'Oslo' } } }))
      .toBe('The provided starting key is invalid');
    expect(await refused({ ...select, KeyConditions: { city: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'Oslo' }] }, sk: { ComparisonOperator: 'NULL' } } }))
      .toBe('Query condition missed key schema element: name');
    expect(await refused({ ...select, KeyConditions: { city: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'Oslo' }] } }, QueryFilter: { name: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] } } }))
      .toBe('QueryFilter can only contain non-primary key attributes: Primary key attribute: name');
    expect(await refused({ ...select, KeyConditionExpression: 'city = :c', ExpressionAttributeValues: { ':c': { S: 'Oslo' } } }))
      .toBe('One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index byCity because its projection type is not ALL');
  });

  it('refuses a start key outside the sort key condition, then one of another partition', async () => {
    const after = { KeyConditionExpression: 'pk = :p AND sk > :s', ExpressionAttributeValues: { ':p': { S: 'p' }, ':s': { S: 'b' } } };
    expect(await refused({ ...after, ExclusiveStartKey: { pk: { S: 'p' }, sk: { S: 'a' } } }))
      .toBe('The provided starting key does not match the range key predicate');
    expect(await refused({ ...after, ExclusiveStartKey: { pk: { S: 'q' }, sk: { S: 'c' } } }))
      .toBe('The query can return at most one row and cannot be restarted');
    expect(await refused({ ...onPk, ExclusiveStartKey: { pk: { S: 'q' }, sk: { S: 'c' } } }))
      .toBe('The provided starting key is outside query boundaries based on provided conditions');
    const local = { IndexName: 'byScore', KeyConditionExpression: 'pk = :p AND score BETWEEN :l AND :h', ExpressionAttributeValues: { ':p': { S: 'p' }, ':l': { N: '1' }, ':h': { N: '2' } } };
    expect(await refused({ ...local, ExclusiveStartKey: { pk: { S: 'p' }, sk: { S: 'a' }, score: { N: '0' } } }))
      .toBe('The provided starting key does not match the range key predicate');
  });

  it('resumes after a start key inside the condition', async () => {
    const page = await region.client.send(new QueryCommand({
      TableName: table, KeyConditionExpression: 'pk = :p AND sk >= :s', ExpressionAttributeValues: { ':p': { S: 'p' }, ':s': { S: 'a' } },
      ExclusiveStartKey: { pk: { S: 'p' }, sk: { S: 'a' } },
    }));
    expect(page.Items?.map((item) => item.sk.S)).toEqual(['b', 'c']);
  });
});
