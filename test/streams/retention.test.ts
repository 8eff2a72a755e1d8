import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeStreamCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { readAll, streamsClient, streamTable } from '../helpers/streams.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion({ settings: { changeRetentionMs: 1000, retentionSweepIntervalMs: 50 } }); });
afterAll(async () => { await region.stop(); });

describe('stream retention', () => {
  it('trims records past the retention period and answers TrimmedDataAccessException for them', async () => {
    const client = streamsClient(region);
    const { table, streamArn } = await streamTable(region, 'KEYS_ONLY');
    await region.doc.send(new PutCommand({ TableName: table, Item: { pk: 'old' } }));
    const [first] = await readAll(client, streamArn);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    await region.doc.send(new PutCommand({ TableName: table, Item: { pk: 'new' } }));
    const remaining = await readAll(client, streamArn);
    expect(remaining.map((r) => r.dynamodb!.Keys!.pk.S)).toEqual(['new']);
    const shardId = (await client.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards![0].ShardId!;
    const trimmed = await failure(client.send(new GetShardIteratorCommand({
      StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: first.dynamodb!.SequenceNumber,
    })));
    expect(trimmed.name).toBe('TrimmedDataAccessException');
    client.destroy();
  });
});
