import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { streamsClient, streamTable } from '../helpers/streams.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion(); });
afterAll(async () => { await region.stop(); });

describe('ListStreams', () => {
  it('lists every stream, filters by table and pages by ARN', async () => {
    const client = streamsClient(region);
    const first = await streamTable(region);
    const second = await streamTable(region, 'KEYS_ONLY');
    const all = await client.send(new ListStreamsCommand({}));
    expect(all.Streams?.map((s) => s.StreamArn)).toEqual(expect.arrayContaining([first.streamArn, second.streamArn]));
    const one = await client.send(new ListStreamsCommand({ TableName: second.table }));
    expect(one.Streams).toEqual([{ StreamArn: second.streamArn, TableName: second.table, StreamLabel: second.streamArn.split('/stream/')[1] }]);
    const page = await client.send(new ListStreamsCommand({ Limit: 1 }));
    expect(page.Streams).toHaveLength(1);
    expect(page.LastEvaluatedStreamArn).toBe(page.Streams![0].StreamArn);
    const next = await client.send(new ListStreamsCommand({ Limit: 1, ExclusiveStartStreamArn: page.LastEvaluatedStreamArn }));
    expect(next.Streams![0].StreamArn).not.toBe(page.Streams![0].StreamArn);
    client.destroy();
  });

  it('shows the ARN in DescribeTable with the region and a timestamp label', async () => {
    const { table, streamArn } = await streamTable(region);
    expect(streamArn).toMatch(new RegExp(`^arn:aws:dynamodb:us-east-1:000000000000:table/${table}/stream/\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}`));
  });

  it.each([
    ['a Limit of 0', { Limit: 0 }, "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"],
    ['a Limit of 101', { Limit: 101 }, "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100"],
    ['a table name too short', { TableName: 'ab' }, "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"],
    ['an ExclusiveStartStreamArn that is no ARN', { ExclusiveStartStreamArn: 'kossaapaaasdafsdaasdasdasdasasdasfadfadfasdasdas' }, 'Invalid StreamArn'],
  ])('refuses %s with a ValidationException', async (_case, input, message) => {
    const client = streamsClient(region);
    const error = await failure(client.send(new ListStreamsCommand(input)));
    expect({ name: error.name, message: error.message }).toEqual({ name: 'ValidationException', message });
    client.destroy();
  });
});
