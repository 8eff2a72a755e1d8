/** DescribeEndpoints: DynamoDB's answer, its regional endpoint cached for a day; it takes no parameters. */
import { defineOperation } from './operation.js';

/** How long a client may keep using the address (DynamoDB's figure). */
const CACHE_PERIOD_MINUTES = 1440;

export const describeEndpoints = defineOperation<Record<string, never>, unknown>({
  name: 'DescribeEndpoints',
  shape: {},
  run(ctx) {
    return { Endpoints: [{ Address: `dynamodb.${ctx.region}.amazonaws.com`, CachePeriodInMinutes: CACHE_PERIOD_MINUTES }] };
  },
});
