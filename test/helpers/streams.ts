/** Stream fixtures: a streams client for a test region and a table with a stream of a given view type. */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, DescribeStreamCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import type { TestRegion } from './region.js';
import { uniqueTableName } from './region.js';

export function streamsClient(region: TestRegion): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient({
    endpoint: region.region.endpoint,
    region: region.region.ctx.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

export async function streamTable(region: TestRegion, viewType: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY' = 'NEW_AND_OLD_IMAGES'): Promise<{ table: string; streamArn: string }> {
  const table = uniqueTableName('stream');
  const created = await region.client.send(new CreateTableCommand({
    TableName: table,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
  }));
  return { table, streamArn: created.TableDescription!.LatestStreamArn! };
}

/** Every record of the stream's shard from TRIM_HORIZON, following NextShardIterator. */
export async function readAll(client: DynamoDBStreamsClient, streamArn: string, limit?: number): Promise<_Record[]> {
  const described = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const shard = described.StreamDescription!.Shards![0];
  let iterator = (await client.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
  const records: _Record[] = [];
  for (let i = 0; i < 100 && iterator; i += 1) {
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
    records.push(...(page.Records ?? []));
    if (!page.Records?.length) break;
    iterator = page.NextShardIterator;
  }
  return records;
}
