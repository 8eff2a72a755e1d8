/**
 * The legacy parameters (Expected, AttributeUpdates, AttributesToGet, KeyConditions, QueryFilter,
 * ScanFilter, ExclusiveStartKey values) are checked with the rest of the request, before the
 * table is looked up: every case here names a table that does not exist and still gets
 * DynamoDB's ValidationException and words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion(); });
afterAll(async () => { await region.stop(); });

const MISSING = 'no-such-table';
const send = (command: unknown): Promise<unknown> => region.client.send(command as never);
const KEY = { a: { S: 'k' } };
const INVALID = 'One or more parameter values were invalid: ';

async function expectInvalid(sent: Promise<unknown>, message: string): Promise<void> {
  const error = await failure(sent);
  expect(error.name).toBe('ValidationException');
  expect(error.message).toBe(message);
}

describe('Expected', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a ComparisonOperator with neither Value nor AttributeValueList', { ComparisonOperator: 'LT' }, `${INVALID}Value or AttributeValueList must be used with ComparisonOperator: LT for Attribute: a`],
    ['a ComparisonOperator with Exists', { ComparisonOperator: 'LT', Exists: true, Value: { S: 'x' } }, `${INVALID}Exists and ComparisonOperator cannot be used together for Attribute: a`],
    ['an AttributeValueList without a ComparisonOperator', { AttributeValueList: [{ S: 'x' }] }, `${INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: a`],
    ['an AttributeValueList with Exists', { AttributeValueList: [{ S: 'x' }], Exists: true }, `${INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: a`],
    ['both Value and AttributeValueList', { ComparisonOperator: 'EQ', Value: { S: 'x' }, AttributeValueList: [{ S: 'x' }] }, `${INVALID}Value and AttributeValueList cannot be used together for Attribute: a`],
    ['values of different types', { ComparisonOperator: 'IN', AttributeValueList: [{ S: 'b' }, { N: '1' }] }, `${INVALID}AttributeValues inside AttributeValueList must be of same type`],
    ['a BETWEEN range upside down', { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ S: 'b' }, { S: 'a' }] }, 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'],
    ['too many values', { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'b' }, { S: 'a' }] }, `${INVALID}Invalid number of argument(s) for the EQ ComparisonOperator`],
    ['Exists false with a Value', { Exists: false, Value: { S: 'x' } }, `${INVALID}Value cannot be used when Exists is false for Attribute: a`],
    ['a bad Value', { Value: { NULL: false } }, `${INVALID}Null attribute value types must have the value of true`],
  ];

  it.each(cases)('DeleteItem refuses %s', async (_what, condition, message) => {
    await expectInvalid(send(new DeleteItemCommand({ TableName: MISSING, Key: KEY, Expected: { a: condition } })), message);
  });

  it('PutItem and UpdateItem check it the same way', async () => {
    const expected = { a: { ComparisonOperator: 'LT' as const } };
    const message = `${INVALID}Value or AttributeValueList must be used with ComparisonOperator: LT for Attribute: a`;
    await expectInvalid(send(new PutItemCommand({ TableName: MISSING, Item: KEY, Expected: expected })), message);
    await expectInvalid(send(new UpdateItemCommand({ TableName: MISSING, Key: KEY, Expected: expected })), message);
  });
});

describe('AttributeUpdates', () => {
  it.each([
    ['no value for PUT', { Action: 'PUT' }, `${INVALID}Only DELETE action is allowed when no attribute value is specified`],
    ['DELETE with a value that is not a set', { Action: 'DELETE', Value: { S: 'x' } }, `${INVALID}DELETE action with value is not supported for the type S`],
    ['ADD of a string', { Action: 'ADD', Value: { S: 'x' } }, `${INVALID}ADD action is not supported for the type S`],
    ['a bad value', { Action: 'PUT', Value: { SS: [] } }, `${INVALID}An string set  may not be empty`],
  ])('UpdateItem refuses %s', async (_what, update, message) => {
    await expectInvalid(send(new UpdateItemCommand({ TableName: MISSING, Key: KEY, AttributeUpdates: { b: update as never } })), message);
  });

  it('are judged before Expected', async () => {
    await expectInvalid(send(new UpdateItemCommand({ TableName: MISSING, Key: KEY, Expected: { a: {} }, AttributeUpdates: { a: { Action: 'PUT' } } })),
      `${INVALID}Only DELETE action is allowed when no attribute value is specified`);
  });
});

describe('conditions of Query and Scan', () => {
  it.each([
    ['LT', [{ BOOL: true }], `${INVALID}ComparisonOperator LT is not valid for BOOL AttributeValue type`],
    ['IN', [{ SS: ['a'] }], `${INVALID}ComparisonOperator IN is not valid for SS AttributeValue type`],
    ['CONTAINS', [{ L: [] }], `${INVALID}ComparisonOperator CONTAINS is not valid for L AttributeValue type`],
    ['BEGINS_WITH', [{ N: '1' }], `${INVALID}ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type`],
    ['BETWEEN', [{ M: {} }, { M: {} }], `${INVALID}ComparisonOperator BETWEEN is not valid for M AttributeValue type`],
    ['BETWEEN', [{ N: '2' }, { N: '1' }], 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'],
    ['NULL', [{ S: 'a' }], `${INVALID}Invalid number of argument(s) for the NULL ComparisonOperator`],
  ])('a ScanFilter %s over %j is refused', async (operator, list, message) => {
    await expectInvalid(send(new ScanCommand({ TableName: MISSING, ScanFilter: { a: { ComparisonOperator: operator as never, AttributeValueList: list as never } } })), message);
    await expectInvalid(send(new QueryCommand({ TableName: MISSING, KeyConditions: { a: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'x' }] } }, QueryFilter: { a: { ComparisonOperator: operator as never, AttributeValueList: list as never } } })), message);
  });

  it('accepts EQ over a set', async () => {
    const error = await failure(region.client.send(new ScanCommand({ TableName: MISSING, ScanFilter: { a: { ComparisonOperator: 'EQ', AttributeValueList: [{ SS: ['a'] }] } } })));
    expect(error.name).toBe('ResourceNotFoundException');
  });

  it('Query takes one or two KeyConditions', async () => {
    await expectInvalid(send(new QueryCommand({ TableName: MISSING, KeyConditions: {} })), 'Conditions can be of length 1 or 2 only');
    const isNull = { ComparisonOperator: 'NULL' as const };
    await expectInvalid(send(new QueryCommand({ TableName: MISSING, KeyConditions: { a: isNull, b: isNull, c: isNull } })), 'Conditions can be of length 1 or 2 only');
  });

  it('prefixes most problems of an ExclusiveStartKey value, not those of numbers and sets', async () => {
    await expectInvalid(send(new ScanCommand({ TableName: MISSING, ExclusiveStartKey: { a: {} as never } })),
      'The provided starting key is invalid: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
    await expectInvalid(send(new ScanCommand({ TableName: MISSING, ExclusiveStartKey: { a: { NULL: false } } })),
      `The provided starting key is invalid: ${INVALID}Null attribute value types must have the value of true`);
    await expectInvalid(send(new ScanCommand({ TableName: MISSING, ExclusiveStartKey: { a: { N: 'b' } } })), 'The parameter cannot be converted to a numeric value: b');
    await expectInvalid(send(new QueryCommand({ TableName: MISSING, KeyConditions: { a: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'x' }] } }, ExclusiveStartKey: { a: { NS: ['1', '1'] } } })),
      'Input collection contains duplicates');
  });
});

describe('AttributesToGet', () => {
  it('names each attribute once', async () => {
    await expectInvalid(send(new GetItemCommand({ TableName: MISSING, Key: KEY, AttributesToGet: ['a', 'a'] })), `${INVALID}Duplicate value in attribute name: a`);
  });
});
