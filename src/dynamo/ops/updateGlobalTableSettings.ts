/**
 * UpdateGlobalTableSettings (2017.11.29): the billing mode and write capacity of every replica, and
 * the read capacity of the replicas named; each replica stores them in its own table (DescribeTable
 * there shows them). Auto scaling and secondary indexes are not modelled and are refused.
 */
import { invalid, ReplicaNotFoundException } from '../errors.js';
import { applyReplicaSettings, type ReplicaSettingsChange } from '../replicaSettings.js';
import { list, long, str, struct, type FieldRule } from '../validation/shape.js';
import { requirePeers } from './createGlobalTable.js';
import { globalTableNameRule, requireLegacyGlobalTable } from './describeGlobalTable.js';
import { globalTableSettings } from './describeGlobalTableSettings.js';
import { defineOperation } from './operation.js';

interface ReplicaSettingsUpdate {
  RegionName: string;
  ReplicaProvisionedReadCapacityUnits?: number;
  ReplicaProvisionedReadCapacityAutoScalingSettingsUpdate?: unknown;
  ReplicaGlobalSecondaryIndexSettingsUpdate?: unknown[];
}

interface UpdateGlobalTableSettingsRequest {
  GlobalTableName: string;
  GlobalTableBillingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST';
  GlobalTableProvisionedWriteCapacityUnits?: number;
  GlobalTableProvisionedWriteCapacityAutoScalingSettingsUpdate?: unknown;
  GlobalTableGlobalSecondaryIndexSettingsUpdate?: unknown[];
  ReplicaSettingsUpdate?: ReplicaSettingsUpdate[];
}

const PREFIX = 'One or more parameter values were invalid: ';
const capacity = (): FieldRule => long({ min: 1 });

function checkRequest(request: UpdateGlobalTableSettingsRequest): void {
  if (request.GlobalTableProvisionedWriteCapacityAutoScalingSettingsUpdate
    || request.ReplicaSettingsUpdate?.some((u) => u.ReplicaProvisionedReadCapacityAutoScalingSettingsUpdate)) {
    invalid(`${PREFIX}Auto scaling is not supported by this region`);
  }
  if (request.GlobalTableGlobalSecondaryIndexSettingsUpdate || request.ReplicaSettingsUpdate?.some((u) => u.ReplicaGlobalSecondaryIndexSettingsUpdate)) {
    invalid(`${PREFIX}Global secondary indexes are not supported by this region`);
  }
}

/** Each member's change, checked against the billing mode it ends with. */
function plan(name: string, currentMode: string, members: string[], request: UpdateGlobalTableSettingsRequest): Map<string, ReplicaSettingsChange> {
  const billingMode = request.GlobalTableBillingMode ?? currentMode;
  const reads = new Map<string, number | undefined>();
  for (const update of request.ReplicaSettingsUpdate ?? []) {
    if (!members.includes(update.RegionName)) {
      throw new ReplicaNotFoundException(`Replica not found: Replica in region: '${update.RegionName}' not found for global table: '${name}'.`);
    }
    reads.set(update.RegionName, update.ReplicaProvisionedReadCapacityUnits);
  }
  const provisions = request.GlobalTableProvisionedWriteCapacityUnits !== undefined || [...reads.values()].some((r) => r !== undefined);
  if (billingMode === 'PAY_PER_REQUEST' && provisions) {
    invalid(`${PREFIX}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`);
  }
  // Turning provisioning on needs the capacity to provision.
  if (billingMode === 'PROVISIONED' && currentMode !== 'PROVISIONED'
    && (request.GlobalTableProvisionedWriteCapacityUnits === undefined || members.some((m) => reads.get(m) === undefined))) {
    invalid(`${PREFIX}GlobalTableProvisionedWriteCapacityUnits and ReplicaProvisionedReadCapacityUnits of every replica must be specified when GlobalTableBillingMode is PROVISIONED`);
  }
  return new Map(members.map((region) => [region, {
    ...(request.GlobalTableBillingMode ? { billingMode: request.GlobalTableBillingMode } : {}),
    ...(request.GlobalTableProvisionedWriteCapacityUnits !== undefined ? { writeCapacityUnits: request.GlobalTableProvisionedWriteCapacityUnits } : {}),
    ...(reads.get(region) !== undefined ? { readCapacityUnits: reads.get(region) } : {}),
  }]));
}

export const updateGlobalTableSettings = defineOperation<UpdateGlobalTableSettingsRequest, unknown>({
  name: 'UpdateGlobalTableSettings',
  shape: {
    GlobalTableName: globalTableNameRule(),
    GlobalTableBillingMode: str({ enum: ['PROVISIONED', 'PAY_PER_REQUEST'] }),
    GlobalTableProvisionedWriteCapacityUnits: capacity(),
    GlobalTableProvisionedWriteCapacityAutoScalingSettingsUpdate: { type: 'Any' },
    GlobalTableGlobalSecondaryIndexSettingsUpdate: list({ type: 'Any' }, { lengthMin: 1, lengthMax: 20 }),
    ReplicaSettingsUpdate: list(struct('ReplicaSettingsUpdate', {
      RegionName: str({ notNull: true }),
      ReplicaProvisionedReadCapacityUnits: capacity(),
      ReplicaProvisionedReadCapacityAutoScalingSettingsUpdate: { type: 'Any' },
      ReplicaGlobalSecondaryIndexSettingsUpdate: list({ type: 'Any' }, { lengthMin: 1, lengthMax: 20 }),
    }, { notNull: true }), { lengthMin: 1, lengthMax: 50 }),
  },
  async run(ctx, request) {
    checkRequest(request);
    const name = request.GlobalTableName;
    const meta = ctx.store.read((txn) => requireLegacyGlobalTable(txn, name));
    const members = Object.keys(meta.replicas);
    const changes = plan(name, meta.billingMode, members, request);
    requirePeers(ctx, members);
    // The other replicas first: this region's table shows the settings once every replica has them.
    await Promise.all(members.filter((r) => r !== ctx.region).map((region) => ctx.replication!.changeReplicaSettings(region, name, changes.get(region)!)));
    await applyReplicaSettings(ctx, name, changes.get(ctx.region)!);
    return globalTableSettings(ctx, name);
  },
});
