/**
 * The region the API fuzzer runs against: real HTTP, real LMDB, tables with items, a stream, and
 * the names the generators draw from, so valid requests reach the tables and their items.
 */
import { CreateTableCommand, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { regionDigest } from '../../src/replication/digest.js';
import { startTestRegion, type TestRegion } from '../helpers/region.js';

/** Attribute names that are valid in DynamoDB and easy to get wrong in JavaScript. */
export const TRICKY_NAMES = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf', '__proto_', 'prototype'];
export const ATTRIBUTE_NAMES = ['a', 'b', 'n', 's', 'm', 'l', 'ss', ...TRICKY_NAMES];
/** Tables that are never deleted (deletion protection); items live here. */
export const HASH_TABLE = 'fuzz-hash';
export const RANGE_TABLE = 'fuzz-range';
/** Tables the fuzzer may create, update, delete and set TTL on. */
export const SPARE_TABLES = ['fuzz-spare-0', 'fuzz-spare-1', 'fuzz-spare-2'];
export const PARTITIONS = ['p0', 'p1', 'p2', '__proto__', 'constructor'];

export interface FuzzWorld {
  test: TestRegion;
  port: number;
  streamArn: string;
  shardId: string;
  shardIterator: string;
  /** Digest of every table and the change log's last lsn: equal before and after a refused request. */
  state(): string;
  close(): Promise<void>;
}

function seedItem(pk: string, index: number): Record<string, AttributeValue> {
  return {
    pk: { S: pk },
    sk: { N: String(index) },
    a: { S: `value-${index}` },
    n: { N: String(index * 7) },
    ss: { SS: ['x', 'y'] },
    m: { M: { a: { S: 'inner' }, ['__proto__']: { N: '1' }, constructor: { BOOL: true } } },
    l: { L: [{ N: '1' }, { S: 'two' }, { M: {} }] },
    ['__proto__']: { S: `proto-${index}` },
    constructor: { N: String(index) },
  };
}

export async function startFuzzWorld(): Promise<FuzzWorld> {
  // No background change during a run (TTL sweeps): a refused request must leave the digest as it was.
  const test = await startTestRegion({ settings: { ttlSweepIntervalMs: 24 * 60 * 60 * 1000 } });
  const { client } = test;
  await client.send(new CreateTableCommand({
    TableName: HASH_TABLE, BillingMode: 'PAY_PER_REQUEST', DeletionProtectionEnabled: true,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }));
  await client.send(new CreateTableCommand({
    TableName: RANGE_TABLE, BillingMode: 'PAY_PER_REQUEST', DeletionProtectionEnabled: true,
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  }));
  for (const [i, pk] of PARTITIONS.entries()) {
    const { sk: _sk, ...hashItem } = seedItem(pk, i);
    await client.send(new PutItemCommand({ TableName: HASH_TABLE, Item: hashItem }));
    for (let j = 0; j < 4; j += 1) await client.send(new PutItemCommand({ TableName: RANGE_TABLE, Item: seedItem(pk, j) }));
  }
  const streams = new DynamoDBStreamsClient({ endpoint: test.region.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const meta = test.region.ctx.store.read((txn) => txn.getTable<{ latestStream?: { arn: string } }>(RANGE_TABLE));
  const streamArn = meta!.latestStream!.arn;
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const shardId = StreamDescription!.Shards![0].ShardId!;
  const { ShardIterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
  streams.destroy();
  const { ctx } = test.region;
  return {
    test,
    port: test.region.port,
    streamArn,
    shardId,
    shardIterator: ShardIterator!,
    state: () => `${regionDigest(ctx).digest}@${ctx.store.lastLsn()}`,
    close: () => test.stop(),
  };
}
