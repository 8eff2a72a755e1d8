/**
 * ReturnItemCollectionMetrics SIZE on every write operation: a table with a local secondary index
 * reports the collection (partition key value) each write touched and its size estimate in GB;
 * a table without one reports nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchWriteItemCommand, DeleteItemCommand, PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand, type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { startTestRegion, type TestRegion } from '../helpers/region.js';
import { createIndexedTable } from '../helpers/indexTables.js';
import { createTable } from '../helpers/tables.js';
import { adjustCollectionSize } from '../../src/dynamo/indexes/collections.js';
import { requireTable } from '../../src/dynamo/tables.js';

let region: TestRegion;
let withLocal: string;
let plain: string;

beforeAll(async () => {
  region = await startTestRegion();
  withLocal = await createIndexedTable(region.client);
  plain = await createTable(region.client, 'S', 'S');
});
afterAll(async () => { await region.stop(); });

const item = (pk: string, sk: string, extra: Record<string, AttributeValue> = {}) => ({ pk: { S: pk }, sk: { S: sk }, ...extra });
const metricsOf = (pk: string, range: [number, number] = [0, 1]) => ({ ItemCollectionKey: { pk: { S: pk } }, SizeEstimateRangeGB: range });

describe('single-item writes', () => {
  it('PutItem, UpdateItem and DeleteItem report the collection they wrote', async () => {
    const put = await region.client.send(new PutItemCommand({ TableName: withLocal, Item: item('p1', 'a', { score: { N: '1' } }), ReturnItemCollectionMetrics: 'SIZE' }));
    expect(put.ItemCollectionMetrics).toEqual(metricsOf('p1'));
    const update = await region.client.send(new UpdateItemCommand({
      TableName: withLocal, Key: item('p1', 'a'), UpdateExpression: 'SET note = :n', ExpressionAttributeValues: { ':n': { S: 'x' } },
      ReturnItemCollectionMetrics: 'SIZE', ReturnValues: 'UPDATED_NEW',
    }));
    expect(update.ItemCollectionMetrics).toEqual(metricsOf('p1'));
    expect(update.Attributes).toEqual({ note: { S: 'x' } });
    const del = await region.client.send(new DeleteItemCommand({ TableName: withLocal, Key: item('p1', 'a'), ReturnItemCollectionMetrics: 'SIZE' }));
    expect(del.ItemCollectionMetrics).toEqual(metricsOf('p1'));
  });

  it('reports a write that changed nothing too (deleting an absent item)', async () => {
    const del = await region.client.send(new DeleteItemCommand({ TableName: withLocal, Key: item('nobody', 'a'), ReturnItemCollectionMetrics: 'SIZE' }));
    expect(del.ItemCollectionMetrics).toEqual(metricsOf('nobody'));
  });

  it('reports nothing unless SIZE is asked for', async () => {
    const none = await region.client.send(new PutItemCommand({ TableName: withLocal, Item: item('p2', 'a'), ReturnItemCollectionMetrics: 'NONE' }));
    expect(none.ItemCollectionMetrics).toBeUndefined();
    const absent = await region.client.send(new PutItemCommand({ TableName: withLocal, Item: item('p2', 'b') }));
    expect(absent.ItemCollectionMetrics).toBeUndefined();
  });

  it('reports nothing for a table without a local secondary index', async () => {
    const put = await region.client.send(new PutItemCommand({ TableName: plain, Item: item('p1', 'a'), ReturnItemCollectionMetrics: 'SIZE' }));
    expect(put.ItemCollectionMetrics).toBeUndefined();
    const update = await region.client.send(new UpdateItemCommand({ TableName: plain, Key: item('p1', 'a'), UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '1' } }, ReturnItemCollectionMetrics: 'SIZE' }));
    expect(update.ItemCollectionMetrics).toBeUndefined();
    const del = await region.client.send(new DeleteItemCommand({ TableName: plain, Key: item('p1', 'a'), ReturnItemCollectionMetrics: 'SIZE' }));
    expect(del.ItemCollectionMetrics).toBeUndefined();
  });

  it('estimates the size as the whole gigabytes below and above it', async () => {
    const { ctx } = region.region;
    await ctx.store.write((txn) => {
      const table = requireTable(txn, withLocal, ctx.clock.trueNowMs());
      adjustCollectionSize(txn, table, { pk: { S: 'big' } }, 3.5 * 1024 * 1024 * 1024);
    });
    const put = await region.client.send(new PutItemCommand({ TableName: withLocal, Item: item('big', 'a'), ReturnItemCollectionMetrics: 'SIZE' }));
    expect(put.ItemCollectionMetrics).toEqual(metricsOf('big', [3, 4]));
  });
});

describe('BatchWriteItem', () => {
  it('reports one entry per write on tables with a local index, in request order', async () => {
    const result = await region.client.send(new BatchWriteItemCommand({
      RequestItems: {
        [withLocal]: [
          { PutRequest: { Item: item('b1', 'a') } },
          { DeleteRequest: { Key: item('b2', 'a') } },
          { PutRequest: { Item: item('b1', 'b') } },
        ],
        [plain]: [{ PutRequest: { Item: item('b1', 'a') } }],
      },
      ReturnItemCollectionMetrics: 'SIZE',
    }));
    expect(result.ItemCollectionMetrics).toEqual({ [withLocal]: [metricsOf('b1'), metricsOf('b2'), metricsOf('b1')] });
    expect(result.UnprocessedItems).toEqual({});
  });

  it('reports nothing without SIZE, or for tables without a local index', async () => {
    const without = await region.client.send(new BatchWriteItemCommand({ RequestItems: { [withLocal]: [{ PutRequest: { Item: item('b3', 'a') } }] } }));
    expect(without.ItemCollectionMetrics).toBeUndefined();
    const plainOnly = await region.client.send(new BatchWriteItemCommand({ RequestItems: { [plain]: [{ PutRequest: { Item: item('b3', 'a') } }] }, ReturnItemCollectionMetrics: 'SIZE' }));
    expect(plainOnly.ItemCollectionMetrics).toBeUndefined();
  });
});

describe('TransactWriteItems', () => {
  it('reports every write (not a ConditionCheck) on tables with a local index', async () => {
    await region.client.send(new PutItemCommand({ TableName: withLocal, Item: item('t0', 'a') }));
    const result = await region.client.send(new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName: withLocal, Item: item('t1', 'a', { score: { N: '5' } }) } },
        { ConditionCheck: { TableName: withLocal, Key: item('t0', 'a'), ConditionExpression: 'attribute_exists(pk)' } },
        { Update: { TableName: withLocal, Key: item('t2', 'a'), UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '1' } } } },
        { Delete: { TableName: withLocal, Key: item('t3', 'a') } },
        { Put: { TableName: plain, Item: item('t1', 'a') } },
      ],
      ReturnItemCollectionMetrics: 'SIZE',
    }));
    expect(result.ItemCollectionMetrics).toEqual({ [withLocal]: [metricsOf('t1'), metricsOf('t2'), metricsOf('t3')] });
  });

  it('reports nothing without SIZE', async () => {
    const result = await region.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: withLocal, Item: item('t4', 'a') } }] }));
    expect(result.ItemCollectionMetrics).toBeUndefined();
  });
});
