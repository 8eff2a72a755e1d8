import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchGetItemCommand, BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
let table: string;
beforeAll(async () => {
  region = await startTestRegion();
  table = await createTable(region.client);
  await region.client.send(new BatchWriteItemCommand({
    RequestItems: { [table]: ['a', 'b', 'c'].map((pk) => ({ PutRequest: { Item: { pk: { S: pk }, v: { S: pk.toUpperCase() }, w: { N: '1' } } } })) },
  }));
});
afterAll(async () => { await region.stop(); });

const get = (RequestItems: Record<string, unknown>) => region.client.send(new BatchGetItemCommand({ RequestItems } as never));

describe('BatchGetItem', () => {
  it('returns found items, skips missing ones, and projects', async () => {
    const result = await get({ [table]: { Keys: [{ pk: { S: 'a' } }, { pk: { S: 'c' } }, { pk: { S: 'zzz' } }], ProjectionExpression: 'v' } });
    expect(result.Responses?.[table]).toHaveLength(2);
    expect(new Set(result.Responses?.[table].map((item) => item.v.S))).toEqual(new Set(['A', 'C']));
    expect(result.Responses?.[table][0].w).toBeUndefined();
    expect(result.UnprocessedKeys).toEqual({});
  });

  it('charges every key read, found or not', async () => {
    const keys = [{ pk: { S: 'a' } }, { pk: { S: 'missing1' } }, { pk: { S: 'missing2' } }];
    const eventual = await region.client.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: keys } }, ReturnConsumedCapacity: 'TOTAL' }));
    expect(eventual.ConsumedCapacity).toEqual([{ TableName: table, CapacityUnits: 1.5 }]);
    const strong = await region.client.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } }, ReturnConsumedCapacity: 'TOTAL' }));
    expect(strong.ConsumedCapacity).toEqual([{ TableName: table, CapacityUnits: 3 }]);
  });

  it('rejects duplicate keys', async () => {
    const error = await failure(get({ [table]: { Keys: [{ pk: { S: 'a' } }, { pk: { S: 'a' } }] } }));
    expect(error.message).toBe('Provided list of item keys contains duplicates');
  });

  it('finds duplicate keys, in any attribute order, and duplicate AttributesToGet before it looks the table up', async () => {
    const key = { a: { S: 'x' }, b: { N: '1' } };
    const duplicate = await failure(get({ 'no-such-table': { Keys: [key, { b: { N: '1.0' }, a: { S: 'x' } }] } }));
    expect(duplicate.name).toBe('ValidationException');
    expect(duplicate.message).toBe('Provided list of item keys contains duplicates');
    const names = await failure(get({ 'no-such-table': { Keys: [key], AttributesToGet: ['a', 'a'] } }));
    expect(names.message).toBe('One or more parameter values were invalid: Duplicate value in attribute name: a');
  });

  it('rejects an attribute named twice in AttributesToGet, as a legacy parameter', async () => {
    const error = await failure(get({ [table]: { Keys: [{ pk: { S: 'a' } }], AttributesToGet: ['v', 'v'] } }));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe('One or more parameter values were invalid: Duplicate value in attribute name: v');
  });

  it('rejects more than 100 keys', async () => {
    const error = await failure(get({ [table]: { Keys: Array.from({ length: 101 }, (_, i) => ({ pk: { S: `k${i}` } })) } }));
    expect(error.message).toMatch(new RegExp(`^1 validation error detected: Value '\\[\\{"pk":\\{"S":"k0"\\}\\}, .+\\]' at 'requestItems\\.${table}\\.member\\.keys' failed to satisfy constraint: Member must have length less than or equal to 100$`));
  });

  it('rejects an empty request and a missing table', async () => {
    expect((await failure(get({}))).message).toBe("1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
    const missing = await failure(get({ 'no-such-table': { Keys: [{ pk: { S: 'a' } }] } }));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.message).toBe('Requested resource not found');
  });
});
