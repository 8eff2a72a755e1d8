import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DescribeTimeToLiveCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { failure, startTestRegion, uniqueTableName, type TestRegion } from '../helpers/region.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion({ settings: { ttlSweepIntervalMs: 100 } }); });
afterAll(async () => { await region.stop(); });

async function table(): Promise<string> {
  const name = uniqueTableName();
  await region.client.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  return name;
}

describe('DescribeTimeToLive', () => {
  it('reports DISABLED, then ENABLED with the attribute', async () => {
    const name = await table();
    expect((await region.client.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription)
      .toEqual({ TimeToLiveStatus: 'DISABLED' });
    await region.client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }));
    expect((await region.client.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription)
      .toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('answers ResourceNotFoundException for a missing table', async () => {
    const error = await failure(region.client.send(new DescribeTimeToLiveCommand({ TableName: 'no-such-table' })));
    expect(error.name).toBe('ResourceNotFoundException');
  });
});
