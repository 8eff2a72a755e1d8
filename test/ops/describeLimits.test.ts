import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeLimitsCommand } from '@aws-sdk/client-dynamodb';
import { startTestRegion, type TestRegion } from '../helpers/region.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion(); });
afterAll(async () => { await region.stop(); });

describe('DescribeLimits', () => {
  it("answers DynamoDB's default quotas: 80,000 units per account, 40,000 per table", async () => {
    const { $metadata: _metadata, ...limits } = await region.client.send(new DescribeLimitsCommand({}));
    expect(limits).toEqual({
      AccountMaxReadCapacityUnits: 80_000,
      AccountMaxWriteCapacityUnits: 80_000,
      TableMaxReadCapacityUnits: 40_000,
      TableMaxWriteCapacityUnits: 40_000,
    });
  });
});
