/**
 * Null or wrongly typed members of request maps and lists, and names over DynamoDB's limits:
 * each refused with DynamoDB's exception and words, none answered 500, nothing stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawCall, rawOk } from '../helpers/rawApi.js';
import { startTestRegion, type TestRegion } from '../helpers/region.js';

let test: TestRegion;
let endpoint: string;
const T = 'members';
const KEY = { pk: { S: 'k' } };

beforeAll(async () => {
  test = await startTestRegion();
  endpoint = test.region.endpoint;
  await rawOk(endpoint, 'CreateTable', {
    TableName: T, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  });
});

afterAll(async () => {
  await test?.stop();
});

async function expectRefused(operation: string, body: object, error: string, message: string): Promise<void> {
  const lsn = test.region.ctx.store.lastLsn();
  const answer = await rawCall(endpoint, operation, body);
  expect(answer.status).toBe(400);
  expect(answer.error).toBe(error);
  // DynamoDB names the field `Message` in a SerializationException, `message` in every other error.
  expect(answer.json[error === 'SerializationException' ? 'Message' : 'message']).toBe(message);
  expect(test.region.ctx.store.lastLsn(), 'a refused request writes nothing').toBe(lsn);
}

const NULL_VALUE = 'The supplied Item contains a null AttributeValue';

describe('null members', () => {
  const cases: [string, string, object, string][] = [
    ['BatchWriteItem: a table whose list of writes is null (short name first)', 'BatchWriteItem', { RequestItems: { t: null } },
      "1 validation error detected: Value '{\"t\":null}' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]"],
    ['BatchWriteItem: a table whose list of writes is null', 'BatchWriteItem', { RequestItems: { [T]: null } }, `The batch write request list for a table cannot be null or empty: ${T}`],
    ['BatchWriteItem: a null write', 'BatchWriteItem', { RequestItems: { [T]: [null] } }, 'The batch write request list for a table cannot be null or empty'],
    ['BatchGetItem: a table with null keys and attributes', 'BatchGetItem', { RequestItems: { [T]: null } }, `The list of keys in RequestItems for BatchGetItem is required: ${T} has empty list`],
    ['BatchGetItem: a null key', 'BatchGetItem', { RequestItems: { [T]: { Keys: [KEY, null] } } }, `The list of keys in RequestItems for BatchGetItem may not contain null or empty values: ${T} has one or more empty keys`],
    ['PutItem: an attribute that is null', 'PutItem', { TableName: T, Item: { ...KEY, a: null } }, `${NULL_VALUE}: a is null`],
    ['PutItem: a nested map member that is null', 'PutItem', { TableName: T, Item: { ...KEY, m: { M: { inner: null } } } }, `${NULL_VALUE}: inner is null`],
    ['PutItem: a list element that is null', 'PutItem', { TableName: T, Item: { ...KEY, l: { L: [{ S: 'x' }, null] } } }, NULL_VALUE],
    ['PutItem: a string set member that is null', 'PutItem', { TableName: T, Item: { ...KEY, s: { SS: ['x', null] } } }, 'One or more parameter values were invalid: An string set may not have a null string as a member'],
    ['PutItem: a number set member that is null', 'PutItem', { TableName: T, Item: { ...KEY, s: { NS: ['1', null] } } }, NULL_VALUE],
    ['GetItem: a key attribute that is null', 'GetItem', { TableName: T, Key: { pk: null } }, `${NULL_VALUE}: pk is null`],
    ['Scan: an ExclusiveStartKey attribute that is null', 'Scan', { TableName: T, ExclusiveStartKey: { pk: null } }, `${NULL_VALUE}: pk is null`],
    ['PutItem: an ExpressionAttributeValues value that is null', 'PutItem', { TableName: T, Item: KEY, ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':v': null } },
      `ExpressionAttributeValues contains invalid value: ${NULL_VALUE} for key :v`],
    ['PutItem: an ExpressionAttributeNames value that is null', 'PutItem', { TableName: T, Item: KEY, ConditionExpression: 'attribute_exists(#a)', ExpressionAttributeNames: { '#a': null } },
      'ExpressionAttributeNames contains invalid value: null for key #a'],
    ['PutItem: an ExpressionAttributeNames value that is empty', 'PutItem', { TableName: T, Item: KEY, ConditionExpression: 'attribute_exists(#a)', ExpressionAttributeNames: { '#a': '' } },
      'ExpressionAttributeNames contains invalid value: Empty attribute name for key #a'],
    ['PutItem: an Expected entry that is null', 'PutItem', { TableName: T, Item: KEY, Expected: { a: null } }, 'One or more parameter values were invalid: ExpectedAttributeValue must not be null for Attribute: a'],
    ['UpdateItem: an AttributeUpdates entry that is null', 'UpdateItem', { TableName: T, Key: KEY, AttributeUpdates: { a: null } }, 'Supplied AttributeValueUpdate is empty, must contain one of the supported actions: a is null'],
    ['Scan: a ScanFilter entry that is null', 'Scan', { TableName: T, ScanFilter: { a: null } }, 'The filter condition for an attribute cannot be null: a'],
    ['Query: a KeyConditions entry that is null', 'Query', { TableName: T, KeyConditions: { pk: null } }, 'The filter condition for an attribute cannot be null: pk'],
    ['Scan: an AttributeValueList element that is null', 'Scan', { TableName: T, ScanFilter: { a: { ComparisonOperator: 'EQ', AttributeValueList: [null] } } }, NULL_VALUE],
    ['CreateTable: a KeySchema element that is null', 'CreateTable', { TableName: 'other', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [null] },
      "1 validation error detected: Value null at 'keySchema.1.member' failed to satisfy constraint: Member must not be null"],
  ];
  it.each(cases)('%s', async (_what, operation, body, message) => {
    await expectRefused(operation, body, 'ValidationException', message);
  });
});

describe('wrongly typed members', () => {
  const cases: [string, string, object, string][] = [
    ['a key attribute that is a number', 'GetItem', { TableName: T, Key: { pk: 5 } }, 'Unexpected value type in payload'],
    ['an ExpressionAttributeValues value that is a string', 'PutItem', { TableName: T, Item: KEY, ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':v': 'str' } }, 'Unexpected value type in payload'],
    ['an Expected entry that is a list', 'PutItem', { TableName: T, Item: KEY, Expected: { a: [] } }, 'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.ExpectedAttributeValue'],
    ['an Expected Value that is a string', 'PutItem', { TableName: T, Item: KEY, Expected: { a: { Value: 'x' } } }, 'Unexpected field type'],
    ['AttributeUpdates that is a list', 'UpdateItem', { TableName: T, Key: KEY, AttributeUpdates: [] }, 'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValueUpdate>'],
    ['a ScanFilter entry that is a number', 'Scan', { TableName: T, ScanFilter: { a: 1 } }, 'Unexpected value type in payload'],
    ['a BatchWriteItem table entry that is a string', 'BatchWriteItem', { RequestItems: { [T]: 'x' } },
      "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base of loader 'bootstrap')"],
    ['a BatchGetItem key that is a number', 'BatchGetItem', { RequestItems: { [T]: { Keys: [1] } } },
      "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base of loader 'bootstrap')"],
    ['a binary value whose padding follows set bits', 'PutItem', { TableName: T, Item: { ...KEY, b: { B: '+/+=' } } }, 'Invalid last non-pad Base64 character dectected'],
    ['a binary value with padding first', 'PutItem', { TableName: T, Item: { ...KEY, b: { B: '=+/=' } } }, 'Invalid last non-pad Base64 character dectected'],
    ['a KeySchema element that is a string', 'CreateTable', { TableName: 'other', AttributeDefinitions: [], KeySchema: ['pk'] }, 'Unexpected value type in payload'],
  ];
  it.each(cases)('%s', async (_what, operation, body, message) => {
    await expectRefused(operation, body, 'SerializationException', message);
  });

  it('refuses a ComparisonOperator outside the enumeration with DynamoDB request validation', async () => {
    await expectRefused('Scan', { TableName: T, ScanFilter: { a: { ComparisonOperator: 'constructor' } } }, 'ValidationException',
      "1 validation error detected: Value 'constructor' at 'scanFilter.a.member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]");
  });
});

describe('attribute name limits', () => {
  const TOO_LARGE = '1 validation error detected: Attribute name is too large, must be less than 65536 bytes';
  const longest = 'a'.repeat(65535);

  it('accepts names of 65535 bytes, top level and nested, counted in UTF-8', async () => {
    const multibyte = '€'.repeat(21845); // 3 bytes each: 65535
    await rawOk(endpoint, 'PutItem', { TableName: T, Item: { ...KEY, [longest]: { S: 'x' }, m: { M: { [multibyte]: { N: '1' } } } } });
    const { Item } = await rawOk(endpoint, 'GetItem', { TableName: T, Key: KEY, ProjectionExpression: '#n, m', ExpressionAttributeNames: { '#n': longest } });
    expect(Object.keys(Item).sort()).toEqual([longest, 'm']);
    expect(Object.keys(Item.m.M)).toEqual([multibyte]);
  });

  it('refuses a 100,000-character name and one byte over the limit wherever a name goes', async () => {
    const huge = 'x'.repeat(100_000);
    const over = `${'€'.repeat(21845)}a`;
    await expectRefused('PutItem', { TableName: T, Item: { ...KEY, [huge]: { S: 'x' } } }, 'ValidationException', TOO_LARGE);
    await expectRefused('PutItem', { TableName: T, Item: { ...KEY, [`${longest}b`]: { S: 'x' } } }, 'ValidationException', TOO_LARGE);
    await expectRefused('PutItem', { TableName: T, Item: { ...KEY, m: { M: { [over]: { S: 'x' } } } } }, 'ValidationException', TOO_LARGE);
    await expectRefused('UpdateItem', { TableName: T, Key: KEY, UpdateExpression: 'SET #n = :v', ExpressionAttributeNames: { '#n': huge }, ExpressionAttributeValues: { ':v': { S: 'x' } } }, 'ValidationException', TOO_LARGE);
    await expectRefused('UpdateItem', { TableName: T, Key: KEY, UpdateExpression: 'SET doc = :v', ExpressionAttributeValues: { ':v': { M: { [huge]: { S: 'x' } } } } }, 'ValidationException', TOO_LARGE);
    await expectRefused('UpdateItem', { TableName: T, Key: KEY, AttributeUpdates: { [huge]: { Action: 'PUT', Value: { S: 'x' } } } }, 'ValidationException', TOO_LARGE);
    await expectRefused('GetItem', { TableName: T, Key: KEY, AttributesToGet: [huge] }, 'ValidationException', TOO_LARGE);
    await expectRefused('PutItem', { TableName: T, Item: KEY, Expected: { [huge]: { Exists: false } } }, 'ValidationException', TOO_LARGE);
  });

  it('limits placeholder names to 255 bytes', async () => {
    const placeholder = `#${'p'.repeat(254)}`;
    await rawOk(endpoint, 'GetItem', { TableName: T, Key: KEY, ProjectionExpression: placeholder, ExpressionAttributeNames: { [placeholder]: 'a' } });
    await expectRefused('GetItem', { TableName: T, Key: KEY, ProjectionExpression: `${placeholder}q`, ExpressionAttributeNames: { [`${placeholder}q`]: 'a' } }, 'ValidationException',
      'ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: 256');
  });

  it('limits key attribute names to 255 characters', async () => {
    const name = 'k'.repeat(256);
    const answer = await rawCall(endpoint, 'CreateTable', { TableName: 'long-key', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: name, AttributeType: 'S' }], KeySchema: [{ AttributeName: name, KeyType: 'HASH' }] });
    expect(answer.error).toBe('ValidationException');
    expect(answer.json.message).toContain(`Value '${name}' at 'keySchema.1.member.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255`);
    await rawOk(endpoint, 'CreateTable', { TableName: 'long-key', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: name.slice(1), AttributeType: 'S' }], KeySchema: [{ AttributeName: name.slice(1), KeyType: 'HASH' }] });
  });
});

describe('table names', () => {
  const LENGTH = 'TableName must be at least 3 characters long and at most 255 characters long';
  it.each(['DescribeTable', 'DeleteTable', 'UpdateTable', 'DescribeTimeToLive', 'CreateTable'])('%s: a missing name, then its length, each on its own; then the pattern in the list', async (operation) => {
    await expectRefused(operation, {}, 'ValidationException', "The parameter 'TableName' is required but was not present in the request");
    await expectRefused(operation, { TableName: 'a;' }, 'ValidationException', LENGTH);
    await expectRefused(operation, { TableName: 'a'.repeat(256) }, 'ValidationException', LENGTH);
    const answer = await rawCall(endpoint, operation, { TableName: 'abc;' });
    expect(answer.error).toBe('ValidationException');
    expect(answer.json.message).toContain("Value 'abc;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
  });

  it('reports a name both too short and off the pattern twice, as DynamoDB does', async () => {
    await expectRefused('GetItem', { TableName: '', Key: KEY }, 'ValidationException',
      "2 validation errors detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1; "
      + "Value '' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
  });
});

describe('enumerations', () => {
  it("list their values in DynamoDB's order", async () => {
    await expectRefused('DeleteItem', { TableName: T, Key: KEY, ReturnValues: 'hi' }, 'ValidationException',
      "1 validation error detected: Value 'hi' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]");
    await expectRefused('Scan', { TableName: T, ConditionalOperator: 'hi' }, 'ValidationException',
      "1 validation error detected: Value 'hi' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]");
  });
});

describe('batch request items', () => {
  it('report a missing RequestItems, its table names and its lists of writes among the other constraint violations', async () => {
    await expectRefused('BatchGetItem', { ReturnConsumedCapacity: 'hi' }, 'ValidationException',
      "2 validation errors detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null; "
      + "Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]");
    await expectRefused('BatchWriteItem', { RequestItems: { a: [] }, ReturnConsumedCapacity: 'hi' }, 'ValidationException',
      "3 validation errors detected: Value '{\"a\":[]}' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: "
      + '[Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]; '
      + "Value '{a=[]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]; "
      + "Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]");
  });
});
