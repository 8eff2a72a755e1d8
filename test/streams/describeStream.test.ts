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

  it('honours ShardFilter CHILD_SHARDS: the one shard of a stream has no children', async () => {
    const client = streamsClient(region);
    const { streamArn } = await streamTable(region);
    const shardId = (await client.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards![0].ShardId!;
    const children = (await client.send(new DescribeStreamCommand({ StreamArn: streamArn, ShardFilter: { Type: 'CHILD_SHARDS', ShardId: shardId } }))).StreamDescription!;
    expect(children).toMatchObject({ StreamArn: streamArn, StreamStatus: 'ENABLED', Shards: [] });
    client.destroy();
  });

  it('pages shards by ExclusiveStartShardId and Limit', async () => {
    const client = streamsClient(region);
    const { streamArn } = await streamTable(region);
    const first = (await client.send(new DescribeStreamCommand({ StreamArn: streamArn, Limit: 1 }))).StreamDescription!;
    expect(first.Shards).toHaveLength(1);
    expect(first.LastEvaluatedShardId).toBeUndefined();
    const shardId = first.Shards![0].ShardId!;
    const after = (await client.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: shardId }))).StreamDescription!;
    expect(after.Shards).toEqual([]);
    // Shards after an id that sorts before every shard: all of them.
    const before = (await client.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: 'shardId-00000000000000000000-00000000' }))).StreamDescription!;
    expect(before.Shards!.map((shard) => shard.ShardId)).toEqual([shardId]);
    client.destroy();
  });

  it.each([
    ['a StreamArn too short', { StreamArn: 'arn:aws:dynamodb' }, "1 validation error detected: Value 'arn:aws:dynamodb' at 'streamArn' failed to satisfy constraint: Member must have length greater than or equal to 37"],
    ['no StreamArn', { StreamArn: undefined }, "1 validation error detected: Value null at 'streamArn' failed to satisfy constraint: Member must not be null"],
    ['a Limit of 0', { Limit: 0 }, "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"],
    ['a Limit of 101', { Limit: 101 }, "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100"],
    ['an ExclusiveStartShardId too short', { ExclusiveStartShardId: 'shardId-1' }, "1 validation error detected: Value 'shardId-1' at 'exclusiveStartShardId' failed to satisfy constraint: Member must have length greater than or equal to 28"],
    ['a ShardFilter of another type', { ShardFilter: { Type: 'PARENT_SHARDS', ShardId: 'shardId-00000000000000000000-00000000' } }, "1 validation error detected: Value 'PARENT_SHARDS' at 'shardFilter.type' failed to satisfy constraint: Member must satisfy enum value set: [CHILD_SHARDS]"],
    ['a ShardFilter with a malformed ShardId', { ShardFilter: { Type: 'CHILD_SHARDS', ShardId: 'qwerty' } }, "1 validation error detected: Value 'qwerty' at 'shardFilter.shardId' failed to satisfy constraint: Member must have length greater than or equal to 28"],
    ['a ShardFilter without a type', { ShardFilter: { ShardId: 'shardId-00000000000000000000-00000000' } }, "1 validation error detected: Value null at 'shardFilter.type' failed to satisfy constraint: Member must not be null"],
    ['a ShardFilter without a ShardId', { ShardFilter: { Type: 'CHILD_SHARDS' } }, "1 validation error detected: Value null at 'shardFilter.shardId' failed to satisfy constraint: Member must not be null"],
    ['a StreamArn that is no ARN', { StreamArn: 'sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf' }, 'Invalid StreamArn'],
  ])('refuses %s with a ValidationException', async (_case, input, message) => {
    const client = streamsClient(region);
    const { streamArn } = await streamTable(region);
    const error = await failure(client.send(new DescribeStreamCommand({ StreamArn: streamArn, ...input } as never)));
    expect({ name: error.name, message: error.message }).toEqual({ name: 'ValidationException', message });
    client.destroy();
  });
});
