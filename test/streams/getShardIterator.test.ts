import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { streamsClient, streamTable } from '../helpers/streams.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion(); });
afterAll(async () => { await region.stop(); });

describe('GetShardIterator', () => {
  it('positions iterators at TRIM_HORIZON, LATEST, AT_ and AFTER_SEQUENCE_NUMBER', async () => {
    const client = streamsClient(region);
    const { table, streamArn } = await streamTable(region, 'KEYS_ONLY');
    for (const pk of ['a', 'b', 'c']) await region.doc.send(new PutCommand({ TableName: table, Item: { pk } }));
    const shardId = (await client.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards![0].ShardId!;
    const read = async (input: Record<string, unknown>) => {
      const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ...input } as never));
      return (await client.send(new GetRecordsCommand({ ShardIterator }))).Records!.map((r) => r.dynamodb!.Keys!.pk.S);
    };
    expect(await read({ ShardIteratorType: 'TRIM_HORIZON' })).toEqual(['a', 'b', 'c']);
    expect(await read({ ShardIteratorType: 'LATEST' })).toEqual([]);
    const all = await client.send(new GetRecordsCommand({ ShardIterator: (await client.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator }));
    const second = all.Records![1].dynamodb!.SequenceNumber!;
    expect(await read({ ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: second })).toEqual(['b', 'c']);
    expect(await read({ ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: second })).toEqual(['c']);
    client.destroy();
  });

  it('rejects an unknown shard and a missing sequence number', async () => {
    const client = streamsClient(region);
    const { streamArn } = await streamTable(region);
    const unknown = await failure(client.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: 'shardId-00000000000000000000-00000000', ShardIteratorType: 'LATEST' })));
    expect(unknown.name).toBe('ResourceNotFoundException');
    const shardId = (await client.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards![0].ShardId!;
    const missing = await failure(client.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER' })));
    expect(missing.name).toBe('ValidationException');
    const badType = await failure(client.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'SIDEWAYS' as never })));
    expect(badType.message).toBe("1 validation error detected: Value 'SIDEWAYS' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]");
    client.destroy();
  });

  it.each([
    ['a SequenceNumber with LATEST', { ShardIteratorType: 'LATEST', SequenceNumber: '100000000000000000001' }, 'SequenceNumber is not allowed with ShardIteratorType LATEST'],
    ['a SequenceNumber with TRIM_HORIZON', { ShardIteratorType: 'TRIM_HORIZON', SequenceNumber: '100000000000000000001' }, 'SequenceNumber is not allowed with ShardIteratorType TRIM_HORIZON'],
    ['no sequence number for AFTER_SEQUENCE_NUMBER', { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' }, 'Must provide a sequence number for ShardIteratorType AFTER_SEQUENCE_NUMBER'],
    ['a SequenceNumber too short', { ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: '12345' }, "1 validation error detected: Value '12345' at 'sequenceNumber' failed to satisfy constraint: Member must have length greater than or equal to 21"],
    ['a SequenceNumber too long', { ShardIteratorType: 'LATEST', SequenceNumber: 'sdfsafglldfngjdafnasdflgnaldklkafdsgklnasdlv' }, "1 validation error detected: Value 'sdfsafglldfngjdafnasdflgnaldklkafdsgklnasdlv' at 'sequenceNumber' failed to satisfy constraint: Member must have length less than or equal to 40"],
    ['a ShardId too short', { ShardId: 'shardId-1', ShardIteratorType: 'LATEST' }, "1 validation error detected: Value 'shardId-1' at 'shardId' failed to satisfy constraint: Member must have length greater than or equal to 28"],
    ['a StreamArn that is no ARN', { StreamArn: 'sdfadfsddafgdafsgjnadflkgnalngalsdfnlkasnlkasdfasdfasf', ShardIteratorType: 'LATEST' }, 'Invalid StreamArn'],
    ['a SequenceNumber outside the shard', { ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: '9'.repeat(21) }, undefined],
  ])('refuses %s with a ValidationException', async (_case, input, message) => {
    const client = streamsClient(region);
    const { streamArn } = await streamTable(region);
    const shardId = (await client.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards![0].ShardId!;
    const error = await failure(client.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ...input } as never)));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(message ?? `Invalid SequenceNumber ${'9'.repeat(21)} for shard ${shardId}`);
    client.destroy();
  });

  it('answers ResourceNotFoundException for a well-formed ARN of no stream', async () => {
    const client = streamsClient(region);
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/none/stream/2020-01-01T00:00:00.000';
    const error = await failure(client.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: 'shardId-00000000000000000000-00000000', ShardIteratorType: 'LATEST' })));
    expect({ name: error.name, message: error.message }).toEqual({ name: 'ResourceNotFoundException', message: `Requested resource not found: Stream: ${arn} not found` });
    client.destroy();
  });
});
