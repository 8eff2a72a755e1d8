import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
let table: string;
let composite: string;
beforeAll(async () => {
  region = await startTestRegion();
  table = await createTable(region.client);
  composite = await createTable(region.client, 'S', 'S');
});
afterAll(async () => { await region.stop(); });

const put = (input: Record<string, unknown>) => region.client.send(new PutItemCommand({ TableName: table, ...input } as never));

describe('PutItem', () => {
  it('stores every attribute type exactly and normalizes numbers', async () => {
    const item = {
      pk: { S: 'types' }, s: { S: 'héllo 🌍' }, n: { N: '0012.50' }, big: { N: '1E+2' }, b: { B: new Uint8Array([0, 1, 255]) },
      t: { BOOL: true }, nul: { NULL: true }, m: { M: { inner: { L: [{ S: 'x' }, { N: '-0' }] } } },
      ss: { SS: ['a', 'b'] }, ns: { NS: ['1', '2.0'] }, bs: { BS: [new Uint8Array([1]), new Uint8Array([2])] }, empty: { S: '' },
    };
    await put({ Item: item });
    const got = (await region.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'types' } } }))).Item!;
    expect(got.s).toEqual({ S: 'héllo 🌍' });
    expect(got.n).toEqual({ N: '12.5' });
    expect(got.big).toEqual({ N: '100' });
    expect(got.b.B).toEqual(new Uint8Array([0, 1, 255]));
    expect(got.m).toEqual({ M: { inner: { L: [{ S: 'x' }, { N: '0' }] } } });
    expect(new Set(got.ns.NS)).toEqual(new Set(['1', '2']));
    expect(got.empty).toEqual({ S: '' });
    expect(got.nul).toEqual({ NULL: true });
  });

  it('returns ALL_OLD and honours a condition', async () => {
    await put({ Item: { pk: { S: 'cond' }, v: { N: '1' } } });
    const replaced = await put({ Item: { pk: { S: 'cond' }, v: { N: '2' } }, ReturnValues: 'ALL_OLD' });
    expect(replaced.Attributes).toEqual({ pk: { S: 'cond' }, v: { N: '1' } });
    const error = await failure(put({
      Item: { pk: { S: 'cond' }, v: { N: '3' } },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }));
    expect(error.name).toBe('ConditionalCheckFailedException');
    expect(error.message).toBe('The conditional request failed');
    expect((error as unknown as { Item: unknown }).Item).toEqual({ pk: { S: 'cond' }, v: { N: '2' } });
    await put({ Item: { pk: { S: 'cond' }, v: { N: '4' } }, ConditionExpression: 'v = :two', ExpressionAttributeValues: { ':two': { N: '2' } } });
    const got = await region.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'cond' } } }));
    expect(got.Item?.v).toEqual({ N: '4' });
  });

  it('writes nothing when the condition fails, and logs no change', async () => {
    const before = region.region.ctx.store.lastLsn();
    await failure(put({ Item: { pk: { S: 'nope' } }, ConditionExpression: 'attribute_exists(pk)' }));
    expect(region.region.ctx.store.lastLsn()).toBe(before);
    expect((await region.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'nope' } } }))).Item).toBeUndefined();
  });

  it('logs no change for a put that changes nothing', async () => {
    await put({ Item: { pk: { S: 'same' }, v: { S: 'x' } } });
    const before = region.region.ctx.store.lastLsn();
    await put({ Item: { pk: { S: 'same' }, v: { S: 'x' } } });
    expect(region.region.ctx.store.lastLsn()).toBe(before);
  });

  it('stamps a version and appends a change record with old and new images', async () => {
    await put({ Item: { pk: { S: 'log' }, v: { N: '1' } } });
    await put({ Item: { pk: { S: 'log' }, v: { N: '2' } } });
    const changes = region.region.ctx.store.changesAfter(0, 10_000).filter((c) => c.keys.pk && 'S' in c.keys.pk && c.keys.pk.S === 'log');
    expect(changes.map((c) => c.eventName)).toEqual(['INSERT', 'MODIFY']);
    expect(changes[1].oldImage).toEqual({ pk: { S: 'log' }, v: { N: '1' } });
    expect(changes[1].newImage).toEqual({ pk: { S: 'log' }, v: { N: '2' } });
    expect(changes[1].prevVersion).toEqual(changes[0].version);
    expect(changes[1].origin).toBe('us-east-1');
  });

  it.each([
    [{ Item: { other: { S: 'x' } } }, 'One or more parameter values were invalid: Missing the key pk in the item'],
    [{ Item: { pk: { S: 'x' } }, Expected: { a: { ComparisonOperator: 'LT' } } }, 'One or more parameter values were invalid: Value or AttributeValueList must be used with ComparisonOperator: LT for Attribute: a'],
    [{ Item: { pk: { S: 'x' } }, Expected: { a: { Exists: true, ComparisonOperator: 'LT' } } }, 'One or more parameter values were invalid: Exists and ComparisonOperator cannot be used together for Attribute: a'],
    [{ Item: { pk: { S: 'x' } }, Expected: { a: { AttributeValueList: [{ S: 'a' }], Value: { S: 'a' }, ComparisonOperator: 'LT' } } }, 'One or more parameter values were invalid: Value and AttributeValueList cannot be used together for Attribute: a'],
    [{ Item: { pk: { S: 'x' } }, Expected: { a: { Exists: true, AttributeValueList: [{ S: 'a' }] } } }, 'One or more parameter values were invalid: AttributeValueList can only be used with a ComparisonOperator for Attribute: a'],
    [{ Item: { pk: { S: 'x' } }, Expected: { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ S: 'b' }, { S: 'a' }] } } }, 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'],
    [{ Item: { pk: { N: '1' } } }, 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N'],
    [{ Item: { pk: { S: '' } } }, 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk'],
    [{ Item: { pk: { S: 'a' }, ss: { SS: [] } } }, 'One or more parameter values were invalid: An string set  may not be empty'],
    [{ Item: { pk: { S: 'a' }, ns: { NS: [] } } }, 'One or more parameter values were invalid: An number set  may not be empty'],
    [{ Item: { pk: { S: 'a' }, ss: { SS: ['a', 'a'] } } }, 'One or more parameter values were invalid: Input collection [a, a] contains duplicates.'],
    [{ Item: { pk: { S: 'a' }, x: { NULL: false } } }, 'One or more parameter values were invalid: Null attribute value types must have the value of true'],
    [{ Item: { pk: { S: 'a' }, x: { N: 'abc' } } }, 'The parameter cannot be converted to a numeric value: abc'],
    [{ Item: { pk: { S: 'a' }, x: { N: '1e126' } } }, 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    [{ Item: { pk: { S: 'a' } }, ReturnValues: 'ALL_NEW' }, 'ReturnValues can only be ALL_OLD or NONE'],
    [{ Item: { pk: { S: 'a' } }, ExpressionAttributeValues: { ':a': { S: 'x' } } }, 'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null'],
    [{ Item: { pk: { S: 'a' } }, ConditionExpression: 'a = :a', Expected: { a: { Exists: false } } }, 'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}'],
    [{ Item: { pk: { S: 'a' }, big: { S: 'x'.repeat(400 * 1024) } } }, 'Item size has exceeded the maximum allowed size'],
    [{ Item: { pk: { S: 'x'.repeat(2049) } } }, 'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes'],
    [{ TableName: '' , Item: { pk: { S: 'a' } } }, "2 validation errors detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"],
  ])('rejects %#: %s', async (input, message) => {
    const before = region.region.ctx.store.lastLsn();
    const error = await failure(put(input));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message);
    expect(region.region.ctx.store.lastLsn()).toBe(before);
  });

  it('rejects a sort key over 1024 bytes', async () => {
    const error = await failure(region.client.send(new PutItemCommand({ TableName: composite, Item: { pk: { S: 'a' }, sk: { S: 'x'.repeat(1025) } } })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe('One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes');
  });

  it('honours the legacy Expected parameter', async () => {
    await put({ Item: { pk: { S: 'legacy' }, v: { N: '1' } }, Expected: { pk: { Exists: false } } });
    const error = await failure(put({ Item: { pk: { S: 'legacy' }, v: { N: '2' } }, Expected: { pk: { Exists: false } } }));
    expect(error.name).toBe('ConditionalCheckFailedException');
    await put({ Item: { pk: { S: 'legacy' }, v: { N: '3' } }, Expected: { v: { ComparisonOperator: 'LT', AttributeValueList: [{ N: '2' }] } } });
    expect((await region.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'legacy' } } }))).Item?.v).toEqual({ N: '3' });
  });

  it('answers ResourceNotFoundException for a missing table', async () => {
    const error = await failure(put({ TableName: 'no-such-table', Item: { pk: { S: 'a' } } }));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe('Requested resource not found');
  });
});
