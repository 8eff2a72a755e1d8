import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeTimeToLiveCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { failure, startTestRegion, type TestRegion } from '../helpers/region.js';
import { createTable } from '../helpers/tables.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion({ settings: { ttlSweepIntervalMs: 100 } }); });
afterAll(async () => { await region.stop(); });

const table = (): Promise<string> => createTable(region.client);

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
    expect(error.message).toBe('Requested resource not found: Table: no-such-table not found');
  });
});
