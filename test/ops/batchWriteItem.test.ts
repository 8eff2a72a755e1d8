import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchWriteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
let first: string;
let second: string;
beforeAll(async () => {
  region = await startTestRegion();
  first = await createTable(region.client);
  second = await createTable(region.client, 'N');
});
afterAll(async () => { await region.stop(); });

const write = (RequestItems: Record<string, unknown>) => region.client.send(new BatchWriteItemCommand({ RequestItems } as never));

describe('BatchWriteItem', () => {
  it('puts and deletes across tables and reports no unprocessed items', async () => {
    await region.client.send(new PutItemCommand({ TableName: first, Item: { pk: { S: 'doomed' } } }));
    const result = await write({
      [first]: [{ PutRequest: { Item: { pk: { S: 'a' }, v: { S: '1' } } } }, { DeleteRequest: { Key: { pk: { S: 'doomed' } } } }],
      [second]: [{ PutRequest: { Item: { pk: { N: '7' } } } }],
    });
    expect(result.UnprocessedItems).toEqual({});
    expect((await region.client.send(new GetItemCommand({ TableName: first, Key: { pk: { S: 'a' } } }))).Item?.v).toEqual({ S: '1' });
    expect((await region.client.send(new GetItemCommand({ TableName: first, Key: { pk: { S: 'doomed' } } }))).Item).toBeUndefined();
    expect((await region.client.send(new GetItemCommand({ TableName: second, Key: { pk: { N: '7.0' } } }))).Item).toBeDefined();
  });

  it('rejects the whole batch when one request is invalid, writing nothing', async () => {
    const before = region.region.ctx.store.lastLsn();
    const error = await failure(write({ [first]: [{ PutRequest: { Item: { pk: { S: 'fine' } } } }, { PutRequest: { Item: { pk: { N: '1' } } } }] }));
    expect(error.message).toBe('The provided key element does not match the schema');
    expect(region.region.ctx.store.lastLsn()).toBe(before);
  });

  it.each([
    [() => ({}), "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1"],
    [() => ({ [first]: [{ PutRequest: { Item: { pk: { S: 'd' } } } }, { DeleteRequest: { Key: { pk: { S: 'd' } } } }] }), 'Provided list of item keys contains duplicates'],
    [() => ({
      [first]: Array.from({ length: 13 }, (_, i) => ({ PutRequest: { Item: { pk: { S: `x${i}` } } } })),
      [second]: Array.from({ length: 13 }, (_, i) => ({ PutRequest: { Item: { pk: { N: String(i) } } } })),
    }), 'Too many items requested for the BatchWriteItem call'],
    [() => ({ [first]: [{ PutRequest: { Item: { pk: { S: 'x'.repeat(2049) } } } }] }), 'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes'],
    [() => ({ [first]: [{ DeleteRequest: { Key: { pk: { S: 'x'.repeat(2049) } } } }] }), 'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes'],
    [() => ({ [first]: [{ PutRequest: { Item: { pk: { S: '' } } } }] }), 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk'],
    [() => ({ [first]: [{ PutRequest: { Item: { other: { S: 'a' } } } }] }), 'The provided key element does not match the schema'],
  ])('rejects %#: %s', async (items, message) => {
    const error = await failure(write(items()));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message);
  });

  it('rejects more than 25 requests for one table', async () => {
    const error = await failure(write({ [first]: Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { pk: { S: `y${i}` } } } })) }));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(/^1 validation error detected: Value '\{.+=\[.+\]\}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$/s);
  });

  it('answers ResourceNotFoundException for a missing table', async () => {
    const error = await failure(write({ 'no-such-table': [{ PutRequest: { Item: { pk: { S: 'a' } } } }] }));
    expect(error.name).toBe('ResourceNotFoundException');
  });
});
