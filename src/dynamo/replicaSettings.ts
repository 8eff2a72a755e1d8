/**
 * A replica's capacity settings as the 2017.11.29 settings API reads and changes them: billing
 * mode and provisioned throughput, stored in the replica's own table, so DescribeTable shows them.
 */
import type { RegionContext } from './context.js';
import type { TableMeta, ThroughputMeta } from './tables.js';

/** What UpdateGlobalTableSettings asks of one replica; absent members stay as they are. */
export interface ReplicaSettingsChange {
  billingMode?: TableMeta['billingMode'];
  readCapacityUnits?: number;
  writeCapacityUnits?: number;
}

/** One replica's settings as DescribeGlobalTableSettings reports them. */
export interface ReplicaSettings {
  billingMode: TableMeta['billingMode'];
  throughput: Pick<ThroughputMeta, 'ReadCapacityUnits' | 'WriteCapacityUnits'>;
}

/** The throughput after a change: on-demand tables provision nothing; increases and decreases are dated as UpdateTable dates them. */
export function changedThroughput(current: ThroughputMeta, billingMode: TableMeta['billingMode'], change: ReplicaSettingsChange, nowMs: number): ThroughputMeta {
  if (billingMode === 'PAY_PER_REQUEST') return { ...current, ReadCapacityUnits: 0, WriteCapacityUnits: 0 };
  const read = change.readCapacityUnits ?? current.ReadCapacityUnits;
  const write = change.writeCapacityUnits ?? current.WriteCapacityUnits;
  const increased = read > current.ReadCapacityUnits || write > current.WriteCapacityUnits;
  const decreased = read < current.ReadCapacityUnits || write < current.WriteCapacityUnits;
  return {
    ...current,
    ReadCapacityUnits: read,
    WriteCapacityUnits: write,
    NumberOfDecreasesToday: current.NumberOfDecreasesToday + (decreased ? 1 : 0),
    ...(increased ? { LastIncreaseDateTime: nowMs } : {}),
    ...(decreased ? { LastDecreaseDateTime: nowMs } : {}),
  };
}

/** Applies a change to this region's replica of a table; false when it has none. */
export async function applyReplicaSettings(ctx: RegionContext, table: string, change: ReplicaSettingsChange): Promise<boolean> {
  const nowMs = ctx.clock.trueNowMs();
  return ctx.store.write((txn) => {
    const meta = txn.getTable<TableMeta>(table);
    if (!meta || meta.deleting) return false;
    const billingMode = change.billingMode ?? meta.billingMode;
    txn.putTable(table, { ...meta, billingMode, throughput: changedThroughput(meta.throughput, billingMode, change, nowMs) });
    return true;
  });
}

/** ReplicaSettingsDescription for one replica; auto scaling is never on here, as DynamoDB reports a replica without it. */
export function replicaSettingsDescription(region: string, status: string, settings: ReplicaSettings | undefined): Record<string, unknown> {
  const described: Record<string, unknown> = { RegionName: region, ReplicaStatus: status };
  if (!settings) return described;
  return {
    ...described,
    ReplicaBillingModeSummary: { BillingMode: settings.billingMode },
    ReplicaProvisionedReadCapacityUnits: settings.throughput.ReadCapacityUnits,
    ReplicaProvisionedReadCapacityAutoScalingSettings: { AutoScalingDisabled: true },
    ReplicaProvisionedWriteCapacityUnits: settings.throughput.WriteCapacityUnits,
    ReplicaProvisionedWriteCapacityAutoScalingSettings: { AutoScalingDisabled: true },
    ReplicaGlobalSecondaryIndexSettings: [],
  };
}
