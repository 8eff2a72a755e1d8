import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteItemCommand, DescribeTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
let table: string;
beforeAll(async () => {
  region = await startTestRegion();
  table = await createTable(region.client);
});
afterAll(async () => { await region.stop(); });

const put = (pk: string, v: string) => region.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, v: { S: v } } }));
const del = (input: Record<string, unknown>) => region.client.send(new DeleteItemCommand({ TableName: table, ...input } as never));

describe('DeleteItem', () => {
  it('deletes, returns ALL_OLD, and leaves a tombstone that readers never see', async () => {
    await put('a', '1');
    const deleted = await del({ Key: { pk: { S: 'a' } }, ReturnValues: 'ALL_OLD' });
    expect(deleted.Attributes).toEqual({ pk: { S: 'a' }, v: { S: '1' } });
    expect((await region.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } }))).Item).toBeUndefined();
    expect((await region.client.send(new DescribeTableCommand({ TableName: table }))).Table?.ItemCount).toBe(0);
    const last = region.region.ctx.store.changesAfter(region.region.ctx.store.lastLsn() - 1, 1)[0];
    expect(last).toMatchObject({ eventName: 'REMOVE', oldImage: { pk: { S: 'a' }, v: { S: '1' } } });
  });

  it('deleting a missing item succeeds and logs nothing', async () => {
    const before = region.region.ctx.store.lastLsn();
    const deleted = await del({ Key: { pk: { S: 'never' } }, ReturnValues: 'ALL_OLD' });
    expect(deleted.Attributes).toBeUndefined();
    expect(region.region.ctx.store.lastLsn()).toBe(before);
  });

  it('honours a condition', async () => {
    await put('c', 'keep');
    const error = await failure(del({ Key: { pk: { S: 'c' } }, ConditionExpression: 'v = :x', ExpressionAttributeValues: { ':x': { S: 'other' } } }));
    expect(error.name).toBe('ConditionalCheckFailedException');
    await del({ Key: { pk: { S: 'c' } }, ConditionExpression: 'v = :x', ExpressionAttributeValues: { ':x': { S: 'keep' } } });
    expect((await region.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'c' } } }))).Item).toBeUndefined();
  });

  it.each([
    [{ Key: { pk: { N: '1' } } }, 'The provided key element does not match the schema'],
    [{ Key: { pk: { S: 'a' } }, ReturnValues: 'ALL_NEW' }, 'ReturnValues can only be ALL_OLD or NONE'],
  ])('rejects %#: %s', async (input, message) => {
    const error = await failure(del(input));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message);
  });
});
