import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetItemCommand, PutItemCommand, TransactionCanceledException, TransactWriteItemsCommand, type TransactWriteItem,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { putItem } from '../../src/dynamo/ops/putItem.js';
import { transactWriteItems } from '../../src/dynamo/ops/transactWriteItems.js';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { readAll, streamsClient, streamTable } from '../helpers/streams.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
let table: string;
let other: string;
beforeAll(async () => {
  region = await startTestRegion();
  table = await createTable(region.client);
  other = await createTable(region.client, 'N');
});
afterAll(async () => { await region.stop(); });

const transact = (TransactItems: TransactWriteItem[], extra: Partial<TransactWriteItemsCommandInput> = {}) =>
  region.client.send(new TransactWriteItemsCommand({ TransactItems, ...extra }));
const put = (pk: string, attrs: Record<string, unknown> = {}) =>
  region.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, ...attrs } as never }));
const get = async (pk: string, name = table) =>
  (await region.client.send(new GetItemCommand({ TableName: name, Key: { pk: name === table ? { S: pk } : { N: pk } } }))).Item;

async function cancelled(promise: Promise<unknown>): Promise<TransactionCanceledException> {
  const error = await failure(promise);
  expect(error).toBeInstanceOf(TransactionCanceledException);
  return error as unknown as TransactionCanceledException;
}

describe('TransactWriteItems', () => {
  it('creates nothing for an Update of only removals on a missing item, as UpdateItem does', async () => {
    await transact([
      { Update: { TableName: table, Key: { pk: { S: 'removalsOnly' } }, UpdateExpression: 'REMOVE a' } },
      { Update: { TableName: table, Key: { pk: { S: 'removalAndAdd' } }, UpdateExpression: 'REMOVE a ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
    ]);
    expect(await get('removalsOnly')).toBeUndefined();
    expect(await get('removalAndAdd')).toEqual({ pk: { S: 'removalAndAdd' }, n: { N: '1' } });
  });

  it('applies Put, Update, Delete and ConditionCheck across tables together', async () => {
    await put('upd', { n: { N: '1' } });
    await put('del');
    await put('chk', { ok: { BOOL: true } });
    const result = await transact([
      { Put: { TableName: table, Item: { pk: { S: 'new' }, v: { S: 'x' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Update: { TableName: table, Key: { pk: { S: 'upd' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
      { Delete: { TableName: table, Key: { pk: { S: 'del' } }, ConditionExpression: 'attribute_exists(pk)' } },
      { ConditionCheck: { TableName: table, Key: { pk: { S: 'chk' } }, ConditionExpression: '#ok = :t', ExpressionAttributeNames: { '#ok': 'ok' }, ExpressionAttributeValues: { ':t': { BOOL: true } } } },
      { Put: { TableName: other, Item: { pk: { N: '5' } } } },
    ]);
    expect(result.ConsumedCapacity).toBeUndefined();
    expect(await get('new')).toEqual({ pk: { S: 'new' }, v: { S: 'x' } });
    expect((await get('upd'))?.n).toEqual({ N: '2' });
    expect(await get('del')).toBeUndefined();
    expect(await get('chk')).toEqual({ pk: { S: 'chk' }, ok: { BOOL: true } });
    expect(await get('5', other)).toEqual({ pk: { N: '5' } });
  });

  it('cancels with one reason per action in order, returns the old item when asked, and writes nothing', async () => {
    await put('c-exists', { v: { S: 'old' } });
    const before = region.region.ctx.store.lastLsn();
    const error = await cancelled(transact([
      { Put: { TableName: table, Item: { pk: { S: 'c-new' } } } },
      { Put: { TableName: table, Item: { pk: { S: 'c-exists' }, v: { S: 'new' } }, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
      { Delete: { TableName: table, Key: { pk: { S: 'c-missing' } }, ConditionExpression: 'attribute_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
    ]));
    expect(error.message).toBe('Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, ConditionalCheckFailed]');
    expect(error.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: { S: 'c-exists' }, v: { S: 'old' } } },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    expect(region.region.ctx.store.lastLsn()).toBe(before);
    expect(await get('c-new')).toBeUndefined();
    expect((await get('c-exists'))?.v).toEqual({ S: 'old' });
  });

  it('cancels a failed ConditionCheck, and updates that fail as UpdateItem would with ValidationError', async () => {
    await put('c-check');
    await put('c-text', { n: { S: 'not a number' } });
    const error = await cancelled(transact([
      { ConditionCheck: { TableName: table, Key: { pk: { S: 'c-check' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Update: { TableName: table, Key: { pk: { S: 'c-text' } }, UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
      { Update: { TableName: table, Key: { pk: { S: 'c-other' } }, UpdateExpression: 'SET pk = :x', ExpressionAttributeValues: { ':x': { S: 'x' } } } },
    ]));
    expect(error.CancellationReasons).toEqual([
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      { Code: 'ValidationError', Message: 'An operand in the update expression has an incorrect data type' },
      { Code: 'ValidationError', Message: 'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key' },
    ]);
    expect(await get('c-other')).toBeUndefined();
  });

  it('cancels with ValidationError for a key of the wrong type, and refuses an empty key outright', async () => {
    const wrongType = await cancelled(transact([
      { Put: { TableName: table, Item: { pk: { N: '5' } } } },
      { Delete: { TableName: table, Key: { pk: { N: '5' } } } },
    ]));
    expect(wrongType.CancellationReasons).toEqual([
      { Code: 'ValidationError', Message: 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N' },
      { Code: 'ValidationError', Message: 'The provided key element does not match the schema' },
    ]);
    const empty = await failure(transact([{ Update: { TableName: table, Key: { pk: { S: '' } }, UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } } }]));
    expect(empty.name).toBe('ValidationException');
    expect(empty.message).toBe('One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk');
  });

  it('refuses two actions on one item, and actions that are not exactly one kind', async () => {
    const before = region.region.ctx.store.lastLsn();
    const duplicate = await failure(transact([
      { Put: { TableName: table, Item: { pk: { S: 'dup' } } } },
      { ConditionCheck: { TableName: table, Key: { pk: { S: 'dup' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
    ]));
    expect(duplicate.name).toBe('ValidationException');
    expect(duplicate.message).toBe('Transaction request cannot include multiple operations on one item');
    const two = await failure(transact([{ Put: { TableName: table, Item: { pk: { S: 'two' } } }, Delete: { TableName: table, Key: { pk: { S: 'two' } } } }]));
    expect(two.message).toBe('TransactItems can only contain one of Check, Put, Update or Delete');
    expect(region.region.ctx.store.lastLsn()).toBe(before);
  });

  it('refuses an empty list, more than 100 actions and more than 4 MB', async () => {
    const empty = await failure(transact([]));
    expect(empty.message).toBe("1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
    const many = await failure(transact(Array.from({ length: 101 }, (_, i) => ({ Put: { TableName: table, Item: { pk: { S: `m${i}` } } } }))));
    expect(many.message).toMatch(/^1 validation error detected: Value '\[.+\]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/s);
    const big = 'x'.repeat(390 * 1024);
    const large = await failure(transact(Array.from({ length: 11 }, (_, i) => ({ Put: { TableName: table, Item: { pk: { S: `big${i}` }, v: { S: big } } } }))));
    expect(large.name).toBe('ValidationException');
    expect(large.message).toBe('Collection size of items exceeded, which can also be caused by the aggregate size of the items in the transaction exceeding the 4MB limit');
    expect(await get('big0')).toBeUndefined();
  });

  it('checks member constraints first, and answers ResourceNotFoundException for a missing table', async () => {
    const token = await failure(transact([{ Put: { TableName: table, Item: { pk: { S: 't' } } } }], { ClientRequestToken: 'x'.repeat(37), ReturnConsumedCapacity: 'BOGUS' as never }));
    expect(token.message).toBe(`2 validation errors detected: Value '${'x'.repeat(37)}' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36; Value 'BOGUS' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]`);
    const missing = await failure(transact([{ Put: { TableName: 'no-such-table', Item: { pk: { S: 'a' } } } }]));
    expect(missing.name).toBe('ResourceNotFoundException');
    const unused = await failure(transact([
      { Put: { TableName: 'no-such-table', Item: { pk: { S: 'a' } } } },
      { ConditionCheck: { TableName: table, Key: { pk: { S: 'u' } }, ConditionExpression: 'attribute_not_exists(pk)', ExpressionAttributeValues: { ':v': { S: 'x' } } } },
    ]));
    expect(unused.message).toBe('Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}');
  });

  it('reports 2 write units per KB per table', async () => {
    const result = await transact([
      { Put: { TableName: table, Item: { pk: { S: 'cap1' }, v: { S: 'y'.repeat(1500) } } } },
      { Put: { TableName: table, Item: { pk: { S: 'cap2' } } } },
      { Put: { TableName: other, Item: { pk: { N: '9' } } } },
    ], { ReturnConsumedCapacity: 'INDEXES', ReturnItemCollectionMetrics: 'SIZE' });
    expect(result.ConsumedCapacity).toEqual([
      { TableName: table, CapacityUnits: 6, Table: { CapacityUnits: 6 } },
      { TableName: other, CapacityUnits: 2, Table: { CapacityUnits: 2 } },
    ]);
  });

  describe('ClientRequestToken', () => {
    const increment = (pk: string): TransactWriteItem[] => [
      { Update: { TableName: table, Key: { pk: { S: pk } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
    ];

    it('answers the same request again without writing it again', async () => {
      await transact(increment('idem'), { ClientRequestToken: 'token-same' });
      const lsn = region.region.ctx.store.lastLsn();
      const again = await transact(increment('idem'), { ClientRequestToken: 'token-same', ReturnConsumedCapacity: 'TOTAL' });
      expect(again.ConsumedCapacity).toEqual([{ TableName: table, CapacityUnits: 2 }]);
      expect(region.region.ctx.store.lastLsn()).toBe(lsn);
      expect((await get('idem'))?.n).toEqual({ N: '1' });
      await transact(increment('idem'));
      expect((await get('idem'))?.n).toEqual({ N: '2' });
    });

    it('refuses the token with a different request', async () => {
      await transact(increment('idem2'), { ClientRequestToken: 'token-other' });
      const error = await failure(transact(increment('idem3'), { ClientRequestToken: 'token-other' }));
      expect(error.name).toBe('IdempotentParameterMismatchException');
      expect(error.message).toBe('The request uses the same client token as a previous, but non-identical request.');
      expect(await get('idem3')).toBeUndefined();
    });

    it('makes concurrent retries of one request write once', async () => {
      await Promise.all([1, 2, 3].map(() => transact(increment('idem4'), { ClientRequestToken: 'token-concurrent' })));
      expect((await get('idem4'))?.n).toEqual({ N: '1' });
    });

    it('is not used up by a cancelled transaction', async () => {
      const guarded: TransactWriteItem[] = [{ Put: { TableName: table, Item: { pk: { S: 'idem5' } }, ConditionExpression: 'attribute_exists(pk)' } }];
      await cancelled(transact(guarded, { ClientRequestToken: 'token-cancelled' }));
      await put('idem5', { v: { S: 'now exists' } });
      await transact(guarded, { ClientRequestToken: 'token-cancelled' });
      expect(await get('idem5')).toEqual({ pk: { S: 'idem5' } });
    });
  });

  it('a cancelled transaction leaves the other writes of its commit group alone', async () => {
    const ctx = region.region.ctx;
    // Asked for in one turn, so all three run in one store transaction.
    const results = await Promise.allSettled([
      putItem.run(ctx, { TableName: table, Item: { pk: { S: 'group-before' } } }, {}),
      transactWriteItems.run(ctx, { TransactItems: [
        { Put: { TableName: table, Item: { pk: { S: 'group-tx' } } } },
        { ConditionCheck: { TableName: table, Key: { pk: { S: 'group-none' } }, ConditionExpression: 'attribute_exists(pk)' } },
      ] }, {}),
      putItem.run(ctx, { TableName: table, Item: { pk: { S: 'group-after' } } }, {}),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(Error);
    expect(await get('group-before')).toBeDefined();
    expect(await get('group-after')).toBeDefined();
    expect(await get('group-tx')).toBeUndefined();
  });

  it('shows one stream record per written item, none for a ConditionCheck', async () => {
    const { table: streamed, streamArn } = await streamTable(region);
    await region.client.send(new PutItemCommand({ TableName: streamed, Item: { pk: { S: 'b' } } }));
    await transact([
      { Put: { TableName: streamed, Item: { pk: { S: 'a' } } } },
      { Delete: { TableName: streamed, Key: { pk: { S: 'b' } } } },
      { ConditionCheck: { TableName: streamed, Key: { pk: { S: 'c' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
    ]);
    const records = await readAll(streamsClient(region), streamArn);
    expect(records.map((r) => [r.eventName, r.dynamodb?.Keys?.pk?.S])).toEqual([['INSERT', 'b'], ['INSERT', 'a'], ['REMOVE', 'b']]);
  });
});
