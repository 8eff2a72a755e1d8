import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutItemCommand, TransactGetItemsCommand, TransactionCanceledException, type TransactGetItem } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';
import { rawCall } from '../helpers/rawApi.js';

let region: TestRegion;
let table: string;
let other: string;
beforeAll(async () => {
  region = await startTestRegion();
  table = await createTable(region.client);
  other = await createTable(region.client, 'S', 'N');
  await region.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'a' }, v: { S: 'one' }, m: { M: { x: { N: '1' } } } } }));
  await region.client.send(new PutItemCommand({ TableName: other, Item: { pk: { S: 'b' }, sk: { N: '2' }, big: { S: 'z'.repeat(5000) } } }));
});
afterAll(async () => { await region.stop(); });

const transact = (TransactItems: TransactGetItem[], ReturnConsumedCapacity?: 'TOTAL' | 'INDEXES') =>
  region.client.send(new TransactGetItemsCommand({ TransactItems, ReturnConsumedCapacity }));

describe('TransactGetItems', () => {
  it.each(['TransactGetItems', 'TransactWriteItems'])('%s refuses a null element of TransactItems as a validation error', async (operation) => {
    const answer = await rawCall(region.region.endpoint, operation, { TransactItems: [null] });
    expect(answer.status).toBe(400);
    expect(answer.error).toBe('ValidationException');
    expect(answer.json.message).toContain("'transactItems.1.member' failed to satisfy constraint: Member must not be null");
  });

  it('answers every Get in request order, an empty object for a missing item, projections applied', async () => {
    const result = await transact([
      { Get: { TableName: other, Key: { pk: { S: 'b' }, sk: { N: '2' } }, ProjectionExpression: 'pk' } },
      { Get: { TableName: table, Key: { pk: { S: 'missing' } } } },
      { Get: { TableName: table, Key: { pk: { S: 'a' } }, ProjectionExpression: '#m.x, v', ExpressionAttributeNames: { '#m': 'm' } } },
    ]);
    expect(result.Responses).toEqual([
      { Item: { pk: { S: 'b' } } },
      {},
      { Item: { m: { M: { x: { N: '1' } } }, v: { S: 'one' } } },
    ]);
  });

  it('reports 2 read units per 4 KB per table', async () => {
    const result = await transact([
      { Get: { TableName: table, Key: { pk: { S: 'a' } } } },
      { Get: { TableName: other, Key: { pk: { S: 'b' }, sk: { N: '2' } } } },
      { Get: { TableName: table, Key: { pk: { S: 'missing' } } } },
    ], 'TOTAL');
    expect(result.ConsumedCapacity).toEqual([{ TableName: table, CapacityUnits: 4 }, { TableName: other, CapacityUnits: 4 }]);
  });

  it('cancels with ValidationError for a key that does not match the schema', async () => {
    const error = await failure(transact([
      { Get: { TableName: table, Key: { pk: { S: 'a' } } } },
      { Get: { TableName: table, Key: {} } },
    ]));
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect(error.message).toBe('Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]');
    expect((error as unknown as TransactionCanceledException).CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'ValidationError', Message: 'The provided key element does not match the schema' },
    ]);
  });

  it.each([
    [() => [], "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1"],
    [() => [{ Get: { TableName: table, Key: { pk: { S: 'a' } }, ProjectionExpression: '!!!' } }], 'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"'],
    [() => [{ Get: { TableName: table, Key: { pk: { S: 'a' } } } }, { Get: { TableName: table, Key: { pk: { S: 'a' } } } }], 'Transaction request cannot include multiple operations on one item'],
    [() => [{ Get: { TableName: table, Key: { pk: { S: '' } } } }], 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk'],
    [() => [{ Get: { TableName: table, Key: { pk: { S: 'a' } }, ExpressionAttributeNames: { '#a': 'a' } } }], 'ExpressionAttributeNames can only be specified when using expressions'],
  ])('refuses %#: %s', async (items, message) => {
    const error = await failure(transact(items() as TransactGetItem[]));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message);
  });

  it('refuses more than 100 Gets, and answers ResourceNotFoundException for a missing table', async () => {
    const many = await failure(transact(Array.from({ length: 101 }, (_, i) => ({ Get: { TableName: table, Key: { pk: { S: `k${i}` } } } }))));
    expect(many.message).toMatch(/^1 validation error detected: Value '\[.+\]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/s);
    const missing = await failure(transact([{ Get: { TableName: 'no-such-table', Key: { pk: { S: 'a' } } } }]));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.message).toBe('Requested resource not found');
  });
});
