import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { streamsClient, streamTable } from '../helpers/streams.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion(); });
afterAll(async () => { await region.stop(); });

describe('DescribeStream', () => {
  it('describes an enabled stream with one open shard', async () => {
    const client = streamsClient(region);
    const { table, streamArn } = await streamTable(region, 'NEW_IMAGE');
    const described = (await client.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!;
    expect(described).toMatchObject({ StreamArn: streamArn, StreamStatus: 'ENABLED', StreamViewType: 'NEW_IMAGE', TableName: table, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] });
    expect(described.Shards).toHaveLength(1);
    expect(described.Shards![0].ShardId).toMatch(/^shardId-/);
    expect(described.Shards![0].SequenceNumberRange?.StartingSequenceNumber).toMatch(/^\d{21}$/);
    expect(described.Shards![0].SequenceNumberRange?.EndingSequenceNumber).toBeUndefined();
    client.destroy();
  });

  it('closes the shard when the stream is disabled; enabling again makes a new stream', async () => {
    const client = streamsClient(region);
    const { table, streamArn } = await streamTable(region);
    await region.doc.send(new PutCommand({ TableName: table, Item: { pk: 'a' } }));
    await region.client.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: false } }));
    const closed = (await client.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!;
    expect(closed.StreamStatus).toBe('DISABLED');
    expect(closed.Shards![0].SequenceNumberRange?.EndingSequenceNumber).toMatch(/^\d{21}$/);
    const described = (await region.client.send(new DescribeTableCommand({ TableName: table }))).Table!;
    expect(described.LatestStreamArn).toBe(streamArn);
    expect(described.StreamSpecification).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await region.client.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    const reopened = (await region.client.send(new DescribeTableCommand({ TableName: table }))).Table!;
    expect(reopened.LatestStreamArn).not.toBe(streamArn);
    client.destroy();
  });

  it('answers ResourceNotFoundException for an unknown stream', async () => {
    const client = streamsClient(region);
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/none/stream/2020-01-01T00:00:00.000';
    const error = await failure(client.send(new DescribeStreamCommand({ StreamArn: arn })));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe(`Requested resource not found: Stream: ${arn} not found`);
    client.destroy();
  });
});
