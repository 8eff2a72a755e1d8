import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { readAll, streamsClient, streamTable } from '../helpers/streams.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
let table: string;
beforeAll(async () => {
  region = await startTestRegion();
  table = await createTable(region.client, 'S', 'S');
});
afterAll(async () => { await region.stop(); });

const key = (pk: string) => ({ pk: { S: pk }, sk: { S: 'x' } });
const update = (input: Record<string, unknown>) => region.client.send(new UpdateItemCommand({ TableName: table, ...input } as never));
const read = async (pk: string) => (await region.client.send(new GetItemCommand({ TableName: table, Key: key(pk) }))).Item;

describe('UpdateItem', () => {
  it('creates an item that does not exist', async () => {
    const result = await update({ Key: key('new'), UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': { N: '1' } }, ReturnValues: 'ALL_NEW' });
    expect(result.Attributes).toEqual({ ...key('new'), a: { N: '1' } });
  });

  it('creates a key-only item without an UpdateExpression', async () => {
    await update({ Key: key('bare') });
    expect(await read('bare')).toEqual(key('bare'));
  });

  it('does exact decimal arithmetic with SET + and ADD', async () => {
    await region.client.send(new PutItemCommand({ TableName: table, Item: { ...key('num'), n: { N: '0.1' } } }));
    await update({ Key: key('num'), UpdateExpression: 'SET n = n + :x', ExpressionAttributeValues: { ':x': { N: '0.2' } } });
    expect((await read('num'))?.n).toEqual({ N: '0.3' });
    await update({ Key: key('num'), UpdateExpression: 'ADD n :x', ExpressionAttributeValues: { ':x': { N: '12345678901234567890123456789012345.7' } } });
    expect((await read('num'))?.n).toEqual({ N: '12345678901234567890123456789012346' });
    const tooPrecise = await failure(update({ Key: key('num'), UpdateExpression: 'ADD n :x', ExpressionAttributeValues: { ':x': { N: '0.0001' } } }));
    expect(tooPrecise.name).toBe('ValidationException');
    expect(tooPrecise.message).toBe('Attempting to store more than 38 significant digits in a Number');
    expect((await read('num'))?.n).toEqual({ N: '12345678901234567890123456789012346' });
  });

  it('SET if_not_exists, list_append, REMOVE list elements, ADD and DELETE on sets', async () => {
    await region.client.send(new PutItemCommand({
      TableName: table,
      Item: { ...key('doc'), things: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }] }, tags: { SS: ['x', 'y'] }, gone: { S: 'bye' } },
    }));
    const result = await update({
      Key: key('doc'),
      UpdateExpression: 'SET things = list_append(things, :more), fresh = if_not_exists(fresh, :zero) REMOVE gone, things[0] ADD tags :z, tally :one DELETE tags :x',
      ExpressionAttributeValues: { ':more': { L: [{ S: 'd' }] }, ':zero': { N: '0' }, ':z': { SS: ['z'] }, ':one': { N: '1' }, ':x': { SS: ['x'] } },
      ReturnValues: 'ALL_NEW',
    }).catch((error) => error);
    // DynamoDB refuses two actions on overlapping paths ('things' and 'things[0]').
    expect(result.name).toBe('ValidationException');
    expect(result.message).toBe('Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [things], path two: [things, [0]]');
    const ok = await update({
      Key: key('doc'),
      UpdateExpression: 'SET fresh = if_not_exists(fresh, :zero) REMOVE gone, things[0] ADD tags :z, tally :one',
      ExpressionAttributeValues: { ':zero': { N: '0' }, ':z': { SS: ['z'] }, ':one': { N: '1' } },
      ReturnValues: 'ALL_NEW',
    });
    expect(ok.Attributes?.things).toEqual({ L: [{ S: 'b' }, { S: 'c' }] });
    expect(new Set(ok.Attributes?.tags.SS)).toEqual(new Set(['x', 'y', 'z']));
    const deleted = await update({ Key: key('doc'), UpdateExpression: 'DELETE tags :x', ExpressionAttributeValues: { ':x': { SS: ['x', 'y', 'z'] } }, ReturnValues: 'ALL_NEW' });
    expect(deleted.Attributes?.tags).toBeUndefined();
    expect(ok.Attributes?.tally).toEqual({ N: '1' });
    expect(ok.Attributes?.fresh).toEqual({ N: '0' });
    expect(ok.Attributes?.gone).toBeUndefined();
    const appended = await update({ Key: key('doc'), UpdateExpression: 'SET things = list_append(things, :more)', ExpressionAttributeValues: { ':more': { L: [{ S: 'd' }] } }, ReturnValues: 'UPDATED_NEW' });
    expect(appended.Attributes).toEqual({ things: { L: [{ S: 'b' }, { S: 'c' }, { S: 'd' }] } });
  });

  it('returns UPDATED_OLD and ALL_OLD', async () => {
    await region.client.send(new PutItemCommand({ TableName: table, Item: { ...key('rv'), a: { S: '1' }, b: { S: '2' } } }));
    const old = await update({ Key: key('rv'), UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': { S: '9' } }, ReturnValues: 'UPDATED_OLD' });
    expect(old.Attributes).toEqual({ a: { S: '1' } });
    const all = await update({ Key: key('rv'), UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': { S: '8' } }, ReturnValues: 'ALL_OLD' });
    expect(all.Attributes).toEqual({ ...key('rv'), a: { S: '9' }, b: { S: '2' } });
  });

  it('honours the legacy AttributeUpdates parameter', async () => {
    await region.client.send(new PutItemCommand({ TableName: table, Item: { ...key('legacy'), n: { N: '1' }, gone: { S: 'x' }, s: { SS: ['a', 'b'] } } }));
    const result = await update({
      Key: key('legacy'),
      AttributeUpdates: {
        n: { Action: 'ADD', Value: { N: '2' } }, put: { Action: 'PUT', Value: { S: 'new' } },
        gone: { Action: 'DELETE' }, s: { Action: 'DELETE', Value: { SS: ['a'] } },
      },
      ReturnValues: 'ALL_NEW',
    });
    expect(result.Attributes).toEqual({ ...key('legacy'), n: { N: '3' }, put: { S: 'new' }, s: { SS: ['b'] } });
  });

  it('reads parenthesized operands in a condition and in SET arithmetic', async () => {
    await region.client.send(new PutItemCommand({ TableName: table, Item: { ...key('parens'), b: { M: { a: { N: '2' } } }, c: { L: [{ N: '0' }, { N: '5' }] } } }));
    const result = await update({
      Key: key('parens'), ConditionExpression: '(size(b)) = :one', UpdateExpression: 'SET x = ((c[1])+(b.a))',
      ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValues: 'UPDATED_NEW',
    });
    expect(result.Attributes).toEqual({ x: { N: '7' } });
  });

  it('appends SETs past the end of a list in index order', async () => {
    await region.client.send(new PutItemCommand({ TableName: table, Item: { ...key('append'), a: { L: [{ S: 'first' }] } } }));
    const result = await update({
      Key: key('append'), UpdateExpression: 'SET a[84] = :x, a[37] = :y', ExpressionAttributeValues: { ':x': { S: 'x' }, ':y': { S: 'y' } }, ReturnValues: 'ALL_NEW',
    });
    expect(result.Attributes?.a).toEqual({ L: [{ S: 'first' }, { S: 'y' }, { S: 'x' }] });
  });

  it('applies no expression limit to legacy AttributeUpdates and Expected: 200 attributes', async () => {
    const names = Array.from({ length: 200 }, (_, i) => `attribute_with_a_long_name_${i}`);
    await update({ Key: key('wide'), AttributeUpdates: Object.fromEntries(names.map((name) => [name, { Action: 'PUT', Value: { N: '1' } }])) });
    const result = await update({
      Key: key('wide'),
      Expected: Object.fromEntries(names.map((name) => [name, { Value: { N: '1' } }])),
      AttributeUpdates: Object.fromEntries(names.map((name) => [name, { Action: 'ADD', Value: { N: '1' } }])),
      ReturnValues: 'ALL_NEW',
    });
    expect(Object.keys(result.Attributes ?? {})).toHaveLength(202);
    expect(result.Attributes?.[names[199]]).toEqual({ N: '2' });
  });

  it.each([
    [{ n: { Action: 'ADD', Value: { SS: ['x'] } } }, 'Type mismatch for attribute to update'],
    [{ s: { Action: 'DELETE', Value: { NS: ['1'] } } }, 'Type mismatch for attribute to update'],
    [{ n: { Action: 'ADD', Value: { S: 'x' } } }, 'One or more parameter values were invalid: ADD action is not supported for the type S'],
    [{ n: { Action: 'DELETE', Value: { N: '1' } } }, 'One or more parameter values were invalid: DELETE action with value is not supported for the type N'],
  ])('words a legacy AttributeUpdates problem as DynamoDB does %#', async (AttributeUpdates, message) => {
    await region.client.send(new PutItemCommand({ TableName: table, Item: { ...key('legacyTypes'), n: { N: '1' }, s: { SS: ['a'] } } }));
    const error = await failure(update({ Key: key('legacyTypes'), AttributeUpdates }));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message);
    expect(await read('legacyTypes')).toEqual({ ...key('legacyTypes'), n: { N: '1' }, s: { SS: ['a'] } });
  });

  it('creates nothing when the only actions are removals and the item does not exist', async () => {
    const { table: streamed, streamArn } = await streamTable(region);
    const send = (input: Record<string, unknown>) => region.client.send(new UpdateItemCommand({ TableName: streamed, ...input } as never));
    const missing = (pk: string) => ({ pk: { S: pk } });
    const removed = await send({ Key: missing('r'), UpdateExpression: 'REMOVE a, b', ReturnValues: 'ALL_NEW' });
    expect(removed.Attributes).toBeUndefined();
    await send({ Key: missing('d'), UpdateExpression: 'DELETE s :s', ExpressionAttributeValues: { ':s': { SS: ['x'] } } });
    await send({ Key: missing('legacy'), AttributeUpdates: { a: { Action: 'DELETE' }, s: { Action: 'DELETE', Value: { SS: ['x'] } } } });
    await send({ Key: missing('added'), AttributeUpdates: { a: { Action: 'DELETE' }, n: { Action: 'ADD', Value: { N: '5' } } } });
    await send({ Key: missing('bare') });
    const get = async (pk: string) => (await region.client.send(new GetItemCommand({ TableName: streamed, Key: missing(pk), ConsistentRead: true }))).Item;
    for (const pk of ['r', 'd', 'legacy']) expect(await get(pk)).toBeUndefined();
    expect(await get('added')).toEqual({ ...missing('added'), n: { N: '5' } });
    expect(await get('bare')).toEqual(missing('bare'));
    const records = await readAll(streamsClient(region), streamArn);
    expect(records.map((record) => record.dynamodb?.Keys?.pk.S)).toEqual(['added', 'bare']);
  });

  it('refuses a REMOVE or DELETE below an attribute that is not there, or not a map or list as the path says', async () => {
    await region.client.send(new PutItemCommand({ TableName: table, Item: { ...key('paths'), s: { S: 'x' }, m: { M: { '1': { S: 'a' } } }, l: { L: [{ S: 'a' }] } } }));
    for (const expression of ['REMOVE s.a', 'REMOVE y.a', 'REMOVE y[1]', 'REMOVE m[1]', 'REMOVE l.#1', 'DELETE y.a :a', 'DELETE m[1] :a', 'DELETE l.#1 :a']) {
      const error = await failure(update({
        Key: key('paths'), UpdateExpression: expression,
        ...(expression.includes('#1') ? { ExpressionAttributeNames: { '#1': '1' } } : {}),
        ...(expression.includes(':a') ? { ExpressionAttributeValues: { ':a': { SS: ['a'] } } } : {}),
      }));
      expect(error.message, expression).toBe('The document path provided in the update expression is invalid for update');
    }
    await update({ Key: key('paths'), UpdateExpression: 'REMOVE m.absent, l[5], absent DELETE m.gone :a', ExpressionAttributeValues: { ':a': { SS: ['a'] } } });
    expect(await read('paths')).toEqual({ ...key('paths'), s: { S: 'x' }, m: { M: { '1': { S: 'a' } } }, l: { L: [{ S: 'a' }] } });
  });

  it('applies the condition to the current item only', async () => {
    const error = await failure(update({ Key: key('cond'), UpdateExpression: 'SET a = :v', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':v': { S: '1' } } }));
    expect(error.name).toBe('ConditionalCheckFailedException');
    expect(await read('cond')).toBeUndefined();
  });

  it.each([
    [{ UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': { S: 'z' } } }, 'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key'],
    [{ UpdateExpression: 'INVALID SYNTAX' }, 'Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"'],
    [{ UpdateExpression: 'SET a = :v' }, 'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v'],
    [{ UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': { S: 'x' }, ':unused': { S: 'y' } } }, 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}'],
    [{ UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': { S: 'x' } }, ExpressionAttributeNames: { '#unused': 'b' } }, 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}'],
    [{ UpdateExpression: '' }, 'Invalid UpdateExpression: The expression can not be empty;'],
    [{ UpdateExpression: 'ADD pk.b :a', ExpressionAttributeValues: { ':a': { N: '1' } } }, 'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key'],
    [{ UpdateExpression: 'SET pk = pk.b + pk[1]' }, 'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key'],
    [{ UpdateExpression: 'REMOVE d SET b = :a, sk = :a', ExpressionAttributeValues: { ':a': { N: '1' } } }, 'One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key'],
    [{ AttributeUpdates: { pk: { Value: { S: 'x' } } } }, 'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key'],
    [{ UpdateExpression: 'SET x = list_append(sk.a, :l)', ExpressionAttributeValues: { ':l': { L: [] } } }, "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: sk"],
    [{ UpdateExpression: 'SET x = if_not_exists(pk[0], :l)', ExpressionAttributeValues: { ':l': { L: [] } } }, "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk"],
    [{ ConditionExpression: 'a < :l', ExpressionAttributeValues: { ':l': { L: [{ N: '1' }] } } }, 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: L'],
    [{ ConditionExpression: 'a BETWEEN :x AND :y', ExpressionAttributeValues: { ':x': { M: {} }, ':y': { M: {} } } }, 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: M'],
  ])('rejects %#: %s', async (input, message) => {
    const error = await failure(update({ Key: key('bad'), ...input }));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message);
  });
});
