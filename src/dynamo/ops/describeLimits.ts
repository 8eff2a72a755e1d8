/** DescribeLimits: DynamoDB's default provisioned-throughput quotas for an account and for one table in a region. */
import { defineOperation } from './operation.js';

/** The Developer Guide's defaults: 80,000 units per account and region, 40,000 per table, for reads and for writes alike. */
export const DEFAULT_LIMITS = {
  AccountMaxReadCapacityUnits: 80_000,
  AccountMaxWriteCapacityUnits: 80_000,
  TableMaxReadCapacityUnits: 40_000,
  TableMaxWriteCapacityUnits: 40_000,
} as const;

export const describeLimits = defineOperation<Record<string, never>, unknown>({
  name: 'DescribeLimits',
  shape: {},
  run() {
    return { ...DEFAULT_LIMITS };
  },
});
