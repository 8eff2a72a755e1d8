import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeEndpointsCommand } from '@aws-sdk/client-dynamodb';
import { rawCall } from '../helpers/rawApi.js';
import { startTestRegion, type TestRegion } from '../helpers/region.js';

let region: TestRegion;
beforeAll(async () => { region = await startTestRegion({ name: 'eu-west-1' }); });
afterAll(async () => { await region.stop(); });

describe('DescribeEndpoints', () => {
  it("answers DynamoDB's regional endpoint, cached for a day", async () => {
    const answer = await region.client.send(new DescribeEndpointsCommand({}));
    expect(answer.Endpoints).toEqual([{ Address: 'dynamodb.eu-west-1.amazonaws.com', CachePeriodInMinutes: 1440 }]);
  });

  it('takes no parameters: members it does not know are ignored', async () => {
    const answer = await rawCall(region.region.endpoint, 'DescribeEndpoints', { TableName: 'whatever', Limit: 'x' });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ Endpoints: [{ Address: 'dynamodb.eu-west-1.amazonaws.com', CachePeriodInMinutes: 1440 }] });
  });
});
