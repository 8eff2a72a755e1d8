/** DescribeGlobalTableSettings (2017.11.29): each replica's status, billing mode and provisioned capacity, read from the replica itself. */
import { replicaSettingsDescription, type ReplicaSettings } from '../replicaSettings.js';
import type { RegionContext } from '../context.js';
import { globalTableNameRule, requireLegacyGlobalTable } from './describeGlobalTable.js';
import { defineOperation } from './operation.js';

/** Every replica's settings, in region order; another region's come from its own table (peerTable). */
export async function globalTableSettings(ctx: RegionContext, name: string): Promise<Record<string, unknown>> {
  const meta = ctx.store.read((txn) => requireLegacyGlobalTable(txn, name));
  const regions = Object.keys(meta.replicas).sort();
  const settings = await Promise.all(regions.map(async (region): Promise<ReplicaSettings | undefined> => {
    if (region === ctx.region) return { billingMode: meta.billingMode, throughput: meta.throughput };
    const table = await ctx.replication?.peerTable(region, name);
    return table?.billingMode && table.throughput ? { billingMode: table.billingMode, throughput: table.throughput } : undefined;
  }));
  return {
    GlobalTableName: name,
    ReplicaSettings: regions.map((region, i) => replicaSettingsDescription(region, meta.replicas[region]!, settings[i])),
  };
}

export const describeGlobalTableSettings = defineOperation<{ GlobalTableName: string }, unknown>({
  name: 'DescribeGlobalTableSettings',
  shape: { GlobalTableName: globalTableNameRule() },
  run(ctx, request) {
    return globalTableSettings(ctx, request.GlobalTableName);
  },
});
