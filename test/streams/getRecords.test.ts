import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetRecordsCommand } from '@aws-sdk/client-dynamodb-streams';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { encodeIterator } from '../../src/streams/iterators.js';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { readAll, streamsClient, streamTable } from '../helpers/streams.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion({ settings: { ttlSweepIntervalMs: 100 } }); });
afterAll(async () => { await region.stop(); });

async function writeLifecycle(table: string): Promise<void> {
  await region.doc.send(new PutCommand({ TableName: table, Item: { pk: 'a', v: 1 } }));
  await region.doc.send(new UpdateCommand({ TableName: table, Key: { pk: 'a' }, UpdateExpression: 'SET v = :two', ExpressionAttributeValues: { ':two': 2 } }));
  await region.doc.send(new DeleteCommand({ TableName: table, Key: { pk: 'a' } }));
}

describe('GetRecords', () => {
  it('returns INSERT, MODIFY and REMOVE records in order with both images', async () => {
    const client = streamsClient(region);
    const { table, streamArn } = await streamTable(region, 'NEW_AND_OLD_IMAGES');
    await writeLifecycle(table);
    const records = await readAll(client, streamArn);
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    expect(records[0]).toMatchObject({ eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'us-east-1' });
    expect(records[1].dynamodb).toMatchObject({ Keys: { pk: { S: 'a' } }, OldImage: { pk: { S: 'a' }, v: { N: '1' } }, NewImage: { pk: { S: 'a' }, v: { N: '2' } }, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(records[2].dynamodb?.NewImage).toBeUndefined();
    const sequences = records.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
    expect(sequences).toEqual([...sequences].sort((x, y) => (x < y ? -1 : 1)));
    expect(records.every((r) => r.dynamodb!.ApproximateCreationDateTime instanceof Date)).toBe(true);
    client.destroy();
  });

  it.each([
    ['KEYS_ONLY', false, false],
    ['NEW_IMAGE', true, false],
    ['OLD_IMAGE', false, true],
  ] as const)('honours the %s view type', async (viewType, hasNew, hasOld) => {
    const client = streamsClient(region);
    const { table, streamArn } = await streamTable(region, viewType);
    await writeLifecycle(table);
    const modify = (await readAll(client, streamArn))[1].dynamodb!;
    expect(modify.Keys).toEqual({ pk: { S: 'a' } });
    expect(modify.NewImage !== undefined).toBe(hasNew);
    expect(modify.OldImage !== undefined).toBe(hasOld);
    client.destroy();
  });

  it('marks TTL deletes as made by the service', async () => {
    const client = streamsClient(region);
    const { table, streamArn } = await streamTable(region, 'OLD_IMAGE');
    await region.client.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    await region.doc.send(new PutCommand({ TableName: table, Item: { pk: 'gone', expires: Math.floor(Date.now() / 1000) - 5 } }));
    await new Promise((resolve) => setTimeout(resolve, 400));
    const records = await readAll(client, streamArn);
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'REMOVE']);
    expect(records[1].userIdentity).toEqual({ Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' });
    expect(records[0].userIdentity).toBeUndefined();
    client.destroy();
  });

  it('pages with Limit and only shows its own table', async () => {
    const client = streamsClient(region);
    const mine = await streamTable(region, 'KEYS_ONLY');
    const other = await streamTable(region, 'KEYS_ONLY');
    for (let i = 0; i < 7; i += 1) {
      await region.doc.send(new PutCommand({ TableName: mine.table, Item: { pk: `m${i}` } }));
      await region.doc.send(new PutCommand({ TableName: other.table, Item: { pk: `o${i}` } }));
    }
    const records = await readAll(client, mine.streamArn, 3);
    expect(records.map((r) => r.dynamodb!.Keys!.pk.S)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    client.destroy();
  });

  it('rejects malformed and expired iterators', async () => {
    const client = streamsClient(region);
    const { streamArn } = await streamTable(region);
    const malformed = await failure(client.send(new GetRecordsCommand({ ShardIterator: 'not-an-iterator' })));
    expect({ name: malformed.name, message: malformed.message }).toEqual({ name: 'ValidationException', message: 'Invalid ShardIterator' });
    const issuedAtMs = Date.UTC(2024, 2, 15, 7, 58, 30);
    const expired = encodeIterator({ arn: streamArn, shardId: 'shardId-x', position: 1, issuedAtMs });
    const error = await failure(client.send(new GetRecordsCommand({ ShardIterator: expired })));
    expect(error.name).toBe('ExpiredIteratorException');
    expect(error.message).toMatch(/^Iterator expired\. The iterator was created at time Fri Mar 15 07:58:30 UTC 2024 while right now it is [A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4} which is further in the future than the tolerated delay of 900000 milliseconds\.$/);
    const zero = await failure(client.send(new GetRecordsCommand({ ShardIterator: expired, Limit: 0 })));
    expect(zero.message).toBe("1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
    const empty = await failure(client.send(new GetRecordsCommand({ ShardIterator: '' })));
    expect(empty.message).toBe("1 validation error detected: Value '' at 'shardIterator' failed to satisfy constraint: Member must have length greater than or equal to 1");
    const limit = await failure(client.send(new GetRecordsCommand({ ShardIterator: expired, Limit: 1001 })));
    expect(limit.message).toBe("1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000");
    client.destroy();
  });

  it('refuses an iterator of another shard, or of a stream that is gone', async () => {
    const client = streamsClient(region);
    const { streamArn } = await streamTable(region);
    const otherShard = encodeIterator({ arn: streamArn, shardId: 'shardId-00000000000000000000-00000000', position: 1, issuedAtMs: Date.now() });
    const wrongShard = await failure(client.send(new GetRecordsCommand({ ShardIterator: otherShard })));
    expect({ name: wrongShard.name, message: wrongShard.message }).toEqual({ name: 'ResourceNotFoundException', message: 'Invalid ShardId in ShardIterator' });
    const gone = 'arn:aws:dynamodb:us-east-1:000000000000:table/none/stream/2020-01-01T00:00:00.000';
    const noStream = await failure(client.send(new GetRecordsCommand({ ShardIterator: encodeIterator({ arn: gone, shardId: 'shardId-00000000000000000000-00000000', position: 1, issuedAtMs: Date.now() }) })));
    expect({ name: noStream.name, message: noStream.message }).toEqual({ name: 'ResourceNotFoundException', message: `Requested resource not found: Stream: ${gone} not found` });
    client.destroy();
  });
});
