/**
 * Attribute, map key, table and placeholder names that are special in JavaScript (`__proto__`,
 * `constructor`, `toString`, …) are plain data in every operation, in storage (across a restart)
 * and in the stream. Requests go as raw JSON: the SDK itself drops a `__proto__` member.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegion, type RunningRegion } from '../../src/region/region.js';
import { rawCall, rawOk, sortedJson } from '../helpers/rawApi.js';
import { startTestRegion, type TestRegion } from '../helpers/region.js';

const TRICKY = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf', '__proto_', '__proto___'];

/** An item with every tricky name at the top level and as keys of a nested map. */
function trickyItem(pk: string): Record<string, unknown> {
  const nested = Object.fromEntries(TRICKY.map((name, i) => [name, { N: String(i) }]));
  return Object.fromEntries([['pk', { S: pk }], ...TRICKY.map((name) => [name, { S: `top ${name}` }]), ['m', { M: nested }]]);
}

let test: TestRegion;
let endpoint: string;
const call = (operation: string, body: object, service?: string) => rawOk(endpoint, operation, body, service);

async function createTable(TableName: string, hashKey = 'pk', extra: object = {}): Promise<void> {
  await call('CreateTable', {
    TableName, BillingMode: 'PAY_PER_REQUEST', ...extra,
    AttributeDefinitions: [{ AttributeName: hashKey, AttributeType: 'S' }], KeySchema: [{ AttributeName: hashKey, KeyType: 'HASH' }],
  });
}

beforeAll(async () => {
  test = await startTestRegion();
  endpoint = test.region.endpoint;
  await createTable('names', 'pk', { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } });
});

afterAll(async () => {
  await test?.stop();
});

describe('attribute names that JavaScript treats specially', () => {
  it('PutItem stores them, top level and nested, and GetItem returns them as given', async () => {
    await call('PutItem', { TableName: 'names', Item: trickyItem('put') });
    const { Item } = await call('GetItem', { TableName: 'names', Key: { pk: { S: 'put' } } });
    expect(sortedJson(Item)).toBe(sortedJson(trickyItem('put')));
    expect(Object.getPrototypeOf(Item)).toBe(Object.prototype);
  });

  it('UpdateItem sets, adds and removes them through placeholders, nested paths included', async () => {
    await call('PutItem', { TableName: 'names', Item: trickyItem('update') });
    const updated = await call('UpdateItem', {
      TableName: 'names', Key: { pk: { S: 'update' } }, ReturnValues: 'ALL_NEW',
      UpdateExpression: 'SET #p = :s, m.#p = :s, #c = :n REMOVE #t, m.#c',
      ExpressionAttributeNames: { '#p': '__proto__', '#c': 'constructor', '#t': 'toString' },
      ExpressionAttributeValues: { ':s': { S: 'changed' }, ':n': { N: '7' } },
    });
    const expected = trickyItem('update');
    const nested = (expected.m as { M: Record<string, unknown> }).M;
    const set = (target: object, name: string, value: unknown) => Object.defineProperty(target, name, { value, enumerable: true });
    set(expected, '__proto__', { S: 'changed' });
    set(expected, 'constructor', { N: '7' });
    Reflect.deleteProperty(expected, 'toString');
    set(nested, '__proto__', { S: 'changed' });
    Reflect.deleteProperty(nested, 'constructor');
    expect(sortedJson(updated.Attributes)).toBe(sortedJson(expected));
  });

  it('projections pick them and never anything inherited', async () => {
    await call('PutItem', { TableName: 'names', Item: { pk: { S: 'plain' }, a: { S: 'x' } } });
    const absent = await call('GetItem', { TableName: 'names', Key: { pk: { S: 'plain' } }, ProjectionExpression: '#p, #c, #t', ExpressionAttributeNames: { '#p': '__proto__', '#c': 'constructor', '#t': 'toString' } });
    expect(sortedJson(absent.Item)).toBe('{}');
    await call('PutItem', { TableName: 'names', Item: trickyItem('projected') });
    const picked = await call('GetItem', { TableName: 'names', Key: { pk: { S: 'projected' } }, ProjectionExpression: '#p, m.#c', ExpressionAttributeNames: { '#p': '__proto__', '#c': 'constructor' } });
    expect(sortedJson(picked.Item)).toBe(sortedJson({ ['__proto__']: { S: 'top __proto__' }, m: { M: { constructor: { N: '1' } } } }));
    const legacy = await call('GetItem', { TableName: 'names', Key: { pk: { S: 'projected' } }, AttributesToGet: ['__proto__', 'valueOf'] });
    expect(sortedJson(legacy.Item)).toBe(sortedJson({ ['__proto__']: { S: 'top __proto__' }, valueOf: { S: 'top valueOf' } }));
  });

  it('conditions see only the item own attributes', async () => {
    await call('PutItem', { TableName: 'names', Item: { pk: { S: 'cond' } } });
    for (const name of TRICKY) {
      const exists = await rawCall(endpoint, 'PutItem', { TableName: 'names', Item: { pk: { S: 'cond' } }, ConditionExpression: 'attribute_exists(#n)', ExpressionAttributeNames: { '#n': name } });
      expect(exists.error, name).toBe('ConditionalCheckFailedException');
      const legacy = await rawCall(endpoint, 'PutItem', { TableName: 'names', Item: { pk: { S: 'cond' } }, Expected: { [name]: { Exists: true, Value: { S: 'x' } } } });
      expect(legacy.error, name).toBe('ConditionalCheckFailedException');
    }
    await call('PutItem', { TableName: 'names', Item: trickyItem('cond'), ConditionExpression: 'attribute_not_exists(#p) AND attribute_not_exists(m.#c)', ExpressionAttributeNames: { '#p': '__proto__', '#c': 'constructor' } });
    await call('DeleteItem', { TableName: 'names', Key: { pk: { S: 'cond' } }, Expected: { ['__proto__']: { Value: { S: 'top __proto__' } }, constructor: { ComparisonOperator: 'NOT_NULL' } } });
  });

  it('legacy AttributeUpdates, ScanFilter and QueryFilter name them as any other attribute', async () => {
    await call('UpdateItem', { TableName: 'names', Key: { pk: { S: 'legacy' } }, AttributeUpdates: { ['__proto__']: { Action: 'PUT', Value: { S: 'p' } }, constructor: { Action: 'ADD', Value: { N: '2' } } } });
    const scanned = await call('Scan', { TableName: 'names', ScanFilter: { ['__proto__']: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] }, constructor: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '2' }] } } });
    expect(scanned.Items.map((item: any) => item.pk.S)).toEqual(['legacy']);
    const queried = await call('Query', { TableName: 'names', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'legacy' }] } }, QueryFilter: { toString: { ComparisonOperator: 'NULL' } } });
    expect(queried.Count).toBe(1);
  });

  it('tables and key attributes may be named so, in batches too', async () => {
    await createTable('__proto__', '__proto__');
    await createTable('constructor', 'constructor');
    await call('BatchWriteItem', { RequestItems: { ['__proto__']: [{ PutRequest: { Item: { ['__proto__']: { S: 'k1' }, toString: { S: 'v' } } } }], constructor: [{ PutRequest: { Item: { constructor: { S: 'k2' } } } }] } });
    const { Responses } = await call('BatchGetItem', { RequestItems: { ['__proto__']: { Keys: [{ ['__proto__']: { S: 'k1' } }] }, constructor: { Keys: [{ constructor: { S: 'k2' } }] } } });
    expect(sortedJson(Responses)).toBe(sortedJson({ ['__proto__']: [{ ['__proto__']: { S: 'k1' }, toString: { S: 'v' } }], constructor: [{ constructor: { S: 'k2' } }] }));
    const queried = await call('Query', { TableName: '__proto__', KeyConditionExpression: '#k = :k', ExpressionAttributeNames: { '#k': '__proto__' }, ExpressionAttributeValues: { ':k': { S: 'k1' } } });
    expect(sortedJson(queried.Items)).toBe(sortedJson([{ ['__proto__']: { S: 'k1' }, toString: { S: 'v' } }]));
    const missing = await rawCall(endpoint, 'PutItem', { TableName: 'constructor', Item: { other: { S: 'x' } } });
    expect(missing.json.message).toBe('One or more parameter values were invalid: Missing the key constructor in the item');
  });

  it('the stream carries them in its images', async () => {
    await call('PutItem', { TableName: 'names', Item: trickyItem('streamed') });
    const { StreamDescription } = await call('DescribeStream', { StreamArn: (await call('DescribeTable', { TableName: 'names' })).Table.LatestStreamArn }, 'DynamoDBStreams_20120810');
    const { ShardIterator } = await call('GetShardIterator', { StreamArn: StreamDescription.StreamArn, ShardId: StreamDescription.Shards[0].ShardId, ShardIteratorType: 'TRIM_HORIZON' }, 'DynamoDBStreams_20120810');
    const { Records } = await call('GetRecords', { ShardIterator, Limit: 1000 }, 'DynamoDBStreams_20120810');
    const record = Records.find((r: any) => r.dynamodb.Keys.pk.S === 'streamed');
    expect(sortedJson(record.dynamodb.NewImage)).toBe(sortedJson(trickyItem('streamed')));
  });
});

describe('attribute names in storage', () => {
  let region: RunningRegion | undefined;
  afterAll(async () => { await region?.close(); });

  it('read back as written after the region restarts on the same files', async () => {
    const dataDir = test.dataDir;
    const before = await call('GetItem', { TableName: 'names', Key: { pk: { S: 'put' } } });
    await test.region.close();
    region = await startRegion({ name: 'us-east-1', port: 0, dataDir });
    endpoint = region.endpoint;
    const after = await call('GetItem', { TableName: 'names', Key: { pk: { S: 'put' } } });
    expect(sortedJson(after.Item)).toBe(sortedJson(before.Item));
    expect(sortedJson(after.Item)).toBe(sortedJson(trickyItem('put')));
    // test.stop() closes the first region again; give it a no-op close (the data dir is still removed there).
    test.region.close = async () => undefined;
  });
});
