import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
let table: string;
beforeAll(async () => {
  region = await startTestRegion();
  table = await createTable(region.client, 'S', 'N');
  await region.client.send(new PutItemCommand({
    TableName: table,
    Item: { pk: { S: 'a' }, sk: { N: '1' }, name: { S: 'n' }, nested: { M: { x: { N: '1' }, y: { L: [{ S: 'p' }, { S: 'q' }, { S: 'r' }] } } } },
  }));
});
afterAll(async () => { await region.stop(); });

const get = (input: Record<string, unknown>) => region.client.send(new GetItemCommand({ TableName: table, ...input } as never));

describe('GetItem', () => {
  it('returns the item, or nothing when absent', async () => {
    expect((await get({ Key: { pk: { S: 'a' }, sk: { N: '1.0' } } })).Item?.name).toEqual({ S: 'n' });
    expect((await get({ Key: { pk: { S: 'a' }, sk: { N: '2' } }, ConsistentRead: true })).Item).toBeUndefined();
  });

  it('projects nested paths and list elements', async () => {
    const got = await get({ Key: { pk: { S: 'a' }, sk: { N: '1' } }, ProjectionExpression: '#n, nested.y[2], nested.x', ExpressionAttributeNames: { '#n': 'name' } });
    expect(got.Item).toEqual({ name: { S: 'n' }, nested: { M: { x: { N: '1' }, y: { L: [{ S: 'r' }] } } } });
  });

  it('takes AttributesToGet as attribute names, with no expression rules', async () => {
    const names = ['name', 'nested.x', 'status', ...Array.from({ length: 1500 }, (_, i) => `attribute${i}`)];
    const got = await get({ Key: { pk: { S: 'a' }, sk: { N: '1' } }, AttributesToGet: names });
    expect(got.Item).toEqual({ name: { S: 'n' } });
  });

  it('reports consumed capacity when asked', async () => {
    const got = await get({ Key: { pk: { S: 'a' }, sk: { N: '1' } }, ReturnConsumedCapacity: 'TOTAL' });
    expect(got.ConsumedCapacity).toEqual({ TableName: table, CapacityUnits: 0.5 });
  });

  it.each([
    [{ Key: { pk: { S: 'a' } } }, 'The provided key element does not match the schema'],
    [{ Key: { pk: { S: 'a' }, sk: { S: '1' } } }, 'The provided key element does not match the schema'],
    [{ Key: { pk: { S: 'a' }, sk: { N: '1' }, x: { S: 'y' } } }, 'The provided key element does not match the schema'],
    [{ Key: { pk: { S: 'a' }, sk: { N: '1' } }, ProjectionExpression: '!!' }, 'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"'],
    [{ Key: { pk: { S: 'a' }, sk: { N: '1' } }, ExpressionAttributeNames: { '#a': 'x' } }, 'ExpressionAttributeNames can only be specified when using expressions'],
    [{ Key: { pk: { S: 'a' }, sk: { N: '1' } }, ProjectionExpression: '#n, #k.b.c', ExpressionAttributeNames: { '#k': 'pk', '#n': 'name' } }, "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk"],
    [{ Key: { pk: { S: 'a' }, sk: { N: '1' } }, ProjectionExpression: 'sk[0]' }, "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: sk"],
    [{ Key: { pk: { S: 'a' }, sk: { N: '1' } }, AttributesToGet: ['name', 'x', 'name'] }, 'One or more parameter values were invalid: Duplicate value in attribute name: name'],
  ])('rejects %#: %s', async (input, message) => {
    const error = await failure(get(input));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message);
  });

  it('answers ResourceNotFoundException for a missing table', async () => {
    const error = await failure(get({ TableName: 'no-such-table', Key: { pk: { S: 'a' } } }));
    expect(error.name).toBe('ResourceNotFoundException');
  });
});
