/**
 * Item operations on a table that is still CREATING answer ResourceNotFoundException, as DynamoDB's
 * do, and change nothing; once the table is ACTIVE they work. Runs through dispatch on a manual clock.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/clock.js';
import { initialClockState } from '../../src/core/version.js';
import { DEFAULT_SETTINGS, type RegionContext } from '../../src/dynamo/context.js';
import { dispatch, type DispatchResult } from '../../src/dynamo/dispatch.js';
import { operations } from '../../src/dynamo/ops/index.js';
import { createMemoryStore } from '../../src/storage/memory.js';

const CREATE_TABLE_MS = 1000;
let clock: ManualClock;
let ctx: RegionContext;

const call = (operation: string, body: object): Promise<DispatchResult> => dispatch(ctx, operations, operation, new TextEncoder().encode(JSON.stringify(body)));

const key = { pk: { S: 'a' } };
const ITEM_OPERATIONS: [string, object][] = [
  ['PutItem', { TableName: 'orders', Item: key }],
  ['GetItem', { TableName: 'orders', Key: key }],
  ['UpdateItem', { TableName: 'orders', Key: key, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '1' } } }],
  ['DeleteItem', { TableName: 'orders', Key: key }],
  ['Query', { TableName: 'orders', KeyConditionExpression: 'pk = :k', ExpressionAttributeValues: { ':k': { S: 'a' } } }],
  ['Scan', { TableName: 'orders' }],
  ['BatchWriteItem', { RequestItems: { orders: [{ PutRequest: { Item: key } }] } }],
  ['BatchGetItem', { RequestItems: { orders: { Keys: [key] } } }],
];

beforeEach(async () => {
  clock = new ManualClock(1_700_000_000_000);
  ctx = {
    region: 'us-east-1', accountId: '000000000000', store: createMemoryStore(), clock, clockState: initialClockState('us-east-1'),
    ids: { uuid: () => '00000000-0000-4000-8000-000000000001' }, settings: { ...DEFAULT_SETTINGS, createTableMs: CREATE_TABLE_MS }, granularity: 'item',
  };
  const created = await call('CreateTable', {
    TableName: 'orders', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  });
  expect((created.body.TableDescription as { TableStatus: string }).TableStatus).toBe('CREATING');
});

describe('item operations on a CREATING table', () => {
  it.each(ITEM_OPERATIONS)('%s answers ResourceNotFoundException and writes nothing', async (operation, body) => {
    const lsn = ctx.store.lastLsn();
    const result = await call(operation, body);
    expect(result.status).toBe(400);
    expect(result.body).toEqual({ __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' });
    expect(ctx.store.lastLsn()).toBe(lsn);
  });

  it.each(ITEM_OPERATIONS)('%s works once the table is ACTIVE', async (operation, body) => {
    clock.advance(CREATE_TABLE_MS);
    expect((await call(operation, body)).status).toBe(200);
  });
});
