import { describe, expect, it } from 'vitest';
import { ItemInputError, itemRequest, parseAttributes } from '../../src/console/ui/components/itemInput.js';

describe("the console's item form input", () => {
  it('reads name = value rows: numbers, booleans, null, quoted and plain strings', () => {
    expect(parseAttributes('id = race\ncount = 3\nok = true\nnothing = null\ncode = "007"\n\n', 'rows')).toEqual({
      id: { S: 'race' }, count: { N: '3' }, ok: { BOOL: true }, nothing: { NULL: true }, code: { S: '007' },
    });
    expect(() => parseAttributes('no equals sign', 'rows')).toThrow(ItemInputError);
  });

  it('reads DynamoDB JSON and refuses what is not an object', () => {
    expect(parseAttributes('{"id": {"S": "race"}}', 'json')).toEqual({ id: { S: 'race' } });
    expect(() => parseAttributes('[1]', 'json')).toThrow(ItemInputError);
    expect(() => parseAttributes('{', 'json')).toThrow(ItemInputError);
  });

  it('builds put, update (SET each attribute) and delete requests', () => {
    const key = { id: { S: 'race' } };
    expect(itemRequest('PutItem', 'demo', key, { text: { S: 'x' } })).toEqual({ TableName: 'demo', Item: { text: { S: 'x' }, id: { S: 'race' } } });
    expect(itemRequest('UpdateItem', 'demo', key, { text: { S: 'x' }, n: { N: '1' } })).toEqual({
      TableName: 'demo', Key: key, UpdateExpression: 'SET #a0 = :v0, #a1 = :v1',
      ExpressionAttributeNames: { '#a0': 'text', '#a1': 'n' }, ExpressionAttributeValues: { ':v0': { S: 'x' }, ':v1': { N: '1' } },
    });
    expect(itemRequest('DeleteItem', 'demo', key, {})).toEqual({ TableName: 'demo', Key: key });
    expect(() => itemRequest('UpdateItem', 'demo', key, {})).toThrow(ItemInputError);
    expect(() => itemRequest('PutItem', 'demo', {}, {})).toThrow(ItemInputError);
  });
});
