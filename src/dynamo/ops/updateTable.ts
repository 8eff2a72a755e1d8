/** UpdateTable: billing mode, provisioned throughput, stream and deletion-protection settings. */
import { setOwn } from '../../core/plainData.js';
import { invalid } from '../errors.js';
import { describe, readStats, requireActiveTable, type StreamSpecification, type TableMeta } from '../tables.js';
import { bool, list, str, struct, tableNameRule } from '../validation/shape.js';
import { throughputRule } from './createTable.js';
import { defineOperation } from './operation.js';
import { streamSpecificationRule } from './streamSpecification.js';
import { closeStream, openStream } from '../../streams/registry.js';
import type { RegionContext } from '../context.js';
import type { StoreTxn } from '../../storage/store.js';
import type { AttributeDefinition } from '../../core/types.js';
import { allocateStoreId } from './createTable.js';
import { checkIndexUpdates, finishIndexDelete, globalIndexUpdatesRule, planIndexUpdates, type GlobalIndexUpdate, type IndexChanges } from '../indexes/indexUpdates.js';
import { runBackfill } from '../indexes/backfill.js';
import { definitionOf } from '../indexes/indexSync.js';
import { findIndex } from '../indexes/indexMeta.js';

interface UpdateTableRequest {
  TableName: string;
  BillingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST';
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  StreamSpecification?: StreamSpecification;
  DeletionProtectionEnabled?: boolean;
  GlobalSecondaryIndexUpdates?: GlobalIndexUpdate[];
  AttributeDefinitions?: AttributeDefinition[];
  ReplicaUpdates?: ReplicaUpdate[];
}

interface ReplicaUpdate {
  Create?: { RegionName?: string };
  Update?: { RegionName?: string };
  Delete?: { RegionName?: string };
}

const MAX_CAPACITY_UNITS = 1_000_000_000_000;
const PREFIX = 'One or more parameter values were invalid: ';

function checkRequest(request: UpdateTableRequest): void {
  if (!request.ProvisionedThroughput && !request.BillingMode && !request.StreamSpecification
    && !request.GlobalSecondaryIndexUpdates?.length && !request.ReplicaUpdates?.length
    && request.DeletionProtectionEnabled === undefined) {
    invalid('At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required');
  }
  if (request.BillingMode === 'PROVISIONED' && !request.ProvisionedThroughput) {
    invalid(`${PREFIX}ProvisionedThroughput must be specified when BillingMode is PROVISIONED`);
  }
  const throughput = request.ProvisionedThroughput;
  if (throughput) {
    if (throughput.ReadCapacityUnits > MAX_CAPACITY_UNITS) invalid(`Given value ${throughput.ReadCapacityUnits} for ReadCapacityUnits is out of bounds`);
    if (throughput.WriteCapacityUnits > MAX_CAPACITY_UNITS) invalid(`Given value ${throughput.WriteCapacityUnits} for WriteCapacityUnits is out of bounds`);
  }
  if (request.GlobalSecondaryIndexUpdates) {
    if (!request.GlobalSecondaryIndexUpdates.length) invalid(`${PREFIX}List of GlobalSecondaryIndexUpdates is empty`);
    checkIndexUpdates(request.GlobalSecondaryIndexUpdates);
  }
}

/**
 * Applies a stream change: enabling twice or disabling a table without a stream is an error, and a
 * global table's stream stays on (its view type cannot change either: that would take a disable).
 */
function updatedStream(meta: TableMeta, spec: StreamSpecification, global: boolean): StreamSpecification | undefined {
  const current = meta.streamSpecification;
  if (spec.StreamEnabled) {
    if (!spec.StreamViewType) invalid(`${PREFIX}Stream is enabled, StreamViewType should be specified`);
    if (current?.StreamEnabled) invalid(`Table already has an enabled stream: TableName: ${meta.name}`);
    return { StreamEnabled: true, StreamViewType: spec.StreamViewType };
  }
  if (spec.StreamViewType) invalid(`${PREFIX}Stream is disabled, StreamViewType should not be specified`);
  if (global) invalid(`${PREFIX}Disabling Stream is not allowed for a Global Table replica.`);
  if (!current?.StreamEnabled) invalid(`Table already has no stream: TableName: ${meta.name}`);
  return undefined;
}

function updatedThroughput(meta: TableMeta, request: UpdateTableRequest, nowMs: number): TableMeta['throughput'] {
  const billing = request.BillingMode ?? meta.billingMode;
  const wanted = request.ProvisionedThroughput;
  if (!wanted) {
    return billing === 'PAY_PER_REQUEST'
      ? { ...meta.throughput, ReadCapacityUnits: 0, WriteCapacityUnits: 0 }
      : meta.throughput;
  }
  if (billing === 'PAY_PER_REQUEST') {
    invalid(`${PREFIX}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`);
  }
  const current = meta.throughput;
  if (meta.billingMode === 'PROVISIONED' && !request.BillingMode
    && wanted.ReadCapacityUnits === current.ReadCapacityUnits && wanted.WriteCapacityUnits === current.WriteCapacityUnits) {
    invalid('The provisioned throughput for the table will not change. The requested value equals the current value. '
      + `Current ReadCapacityUnits provisioned for the table: ${current.ReadCapacityUnits}. Requested ReadCapacityUnits: ${wanted.ReadCapacityUnits}. `
      + `Current WriteCapacityUnits provisioned for the table: ${current.WriteCapacityUnits}. Requested WriteCapacityUnits: ${wanted.WriteCapacityUnits}. `
      + 'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.');
  }
  const increased = wanted.ReadCapacityUnits > current.ReadCapacityUnits || wanted.WriteCapacityUnits > current.WriteCapacityUnits;
  const decreased = wanted.ReadCapacityUnits < current.ReadCapacityUnits || wanted.WriteCapacityUnits < current.WriteCapacityUnits;
  return {
    ReadCapacityUnits: wanted.ReadCapacityUnits,
    WriteCapacityUnits: wanted.WriteCapacityUnits,
    NumberOfDecreasesToday: current.NumberOfDecreasesToday + (decreased ? 1 : 0),
    ...(increased ? { LastIncreaseDateTime: nowMs } : current.LastIncreaseDateTime ? { LastIncreaseDateTime: current.LastIncreaseDateTime } : {}),
    ...(decreased ? { LastDecreaseDateTime: nowMs } : current.LastDecreaseDateTime ? { LastDecreaseDateTime: current.LastDecreaseDateTime } : {}),
  };
}

interface ReplicaChange {
  action: 'create' | 'delete';
  region: string;
}

/** Checks ReplicaUpdates against the table and this region's peers; Update entries carry nothing this simulator models. */
function planReplicaUpdates(ctx: RegionContext, meta: TableMeta, updates: ReplicaUpdate[]): ReplicaChange[] {
  const changes: ReplicaChange[] = [];
  for (const update of updates) {
    const actions = (['Create', 'Update', 'Delete'] as const).filter((a) => update[a] !== undefined);
    if (actions.length !== 1) invalid(`${PREFIX}One and only one of Create, Update or Delete must be specified in a ReplicationGroupUpdate`);
    const region = update[actions[0]]!.RegionName;
    if (!region) invalid(`${PREFIX}RegionName is required in a ReplicationGroupUpdate`);
    if (region === ctx.region) {
      invalid('Cannot add, delete, or update the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required.');
    }
    const peers = ctx.replication?.peerNames() ?? [];
    if (!peers.includes(region)) {
      invalid(`${PREFIX}Region ${region} is not a peer of ${ctx.region} (peers: ${peers.join(', ') || 'none'}); start this region with --peer ${region}=<endpoint>`);
    }
    const present = Boolean(meta.replicas && Object.hasOwn(meta.replicas, region));
    if (actions[0] === 'Create' && present) invalid(`${PREFIX}Replica in region ${region} already exists for table ${meta.name}`);
    if (actions[0] !== 'Create' && !present) invalid(`${PREFIX}Table ${meta.name} has no replica in region ${region}`);
    if (actions[0] !== 'Update') changes.push({ action: actions[0] === 'Create' ? 'create' : 'delete', region });
  }
  return changes;
}

/**
 * Records the new membership (new replicas CREATING) and turns a stream on if the table has none,
 * as DynamoDB does (NEW_AND_OLD_IMAGES). A stream it has stays as it is, whatever its view type:
 * DynamoDB makes a KEYS_ONLY table global and leaves its stream KEYS_ONLY (replication does not
 * read the table's stream, here or there).
 */
function makeGlobal(ctx: RegionContext, txn: StoreTxn, updated: TableMeta, changes: ReplicaChange[]): void {
  const replicas = { ...(updated.replicas ?? { [ctx.region]: 'ACTIVE' as const }) };
  for (const change of changes) {
    if (change.action === 'create') setOwn(replicas, change.region, 'CREATING');
    else setOwn(replicas, change.region, 'DELETING');
  }
  updated.replicas = replicas;
  if (!updated.streamSpecification?.StreamEnabled) {
    updated.streamSpecification = { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' };
    const opened = openStream(ctx, txn, updated, 'NEW_AND_OLD_IMAGES');
    updated.latestStream = { arn: opened.arn, label: opened.label };
  }
}

/** A global table's index created or deleted here is created or deleted in its other replicas too. */
function shareIndexChange(ctx: RegionContext, table: TableMeta, changes: IndexChanges | undefined): void {
  if (!table.replicas || !ctx.replication || !(changes?.created || changes?.deleted)) return;
  const created = changes.created ? findIndex(table, changes.created) : undefined;
  ctx.replication.indexChanged(table, created
    ? { table: table.name, attributeDefinitions: table.attributeDefinitions, create: definitionOf(created) }
    : { table: table.name, delete: changes.deleted! });
}

export const updateTable = defineOperation<UpdateTableRequest, unknown>({
  name: 'UpdateTable',
  shape: {
    TableName: tableNameRule(),
    BillingMode: str({ enum: ['PROVISIONED', 'PAY_PER_REQUEST'] }),
    ProvisionedThroughput: throughputRule(),
    StreamSpecification: streamSpecificationRule(),
    DeletionProtectionEnabled: bool(),
    GlobalSecondaryIndexUpdates: globalIndexUpdatesRule(),
    AttributeDefinitions: list(struct('AttributeDefinition', {
      AttributeName: str({ notNull: true, lengthMin: 1, lengthMax: 255 }),
      AttributeType: str({ notNull: true, enum: ['B', 'N', 'S'] }),
    }, { notNull: true })),
    ReplicaUpdates: list(struct('ReplicationGroupUpdate', {
      Create: struct('CreateReplicationGroupMemberAction', { RegionName: str({ notNull: true }) }),
      Update: struct('UpdateReplicationGroupMemberAction', { RegionName: str({ notNull: true }) }),
      Delete: struct('DeleteReplicationGroupMemberAction', { RegionName: str({ notNull: true }) }),
    }, { notNull: true })),
  },
  async run(ctx, request) {
    checkRequest(request);
    const nowMs = ctx.clock.trueNowMs();
    const description = await ctx.store.write((txn) => {
      const meta = requireActiveTable(txn, request.TableName, nowMs);
      const replicaChanges = request.ReplicaUpdates?.length ? planReplicaUpdates(ctx, meta, request.ReplicaUpdates) : [];
      const updated: TableMeta = {
        ...meta,
        billingMode: request.BillingMode ?? meta.billingMode,
        throughput: updatedThroughput(meta, request, nowMs),
        busyUntilMs: nowMs + ctx.settings.updateTableMs,
        busyStatus: 'UPDATING',
      };
      if (request.StreamSpecification) {
        const global = Boolean(meta.replicas) || replicaChanges.some((c) => c.action === 'create');
        const stream = updatedStream(meta, request.StreamSpecification, global);
        if (stream?.StreamViewType) {
          updated.streamSpecification = stream;
          const opened = openStream(ctx, txn, meta, stream.StreamViewType);
          updated.latestStream = { arn: opened.arn, label: opened.label };
        } else {
          delete updated.streamSpecification;
          closeStream(ctx, txn, meta.name);
        }
      }
      if (request.DeletionProtectionEnabled !== undefined) updated.deletionProtection = request.DeletionProtectionEnabled;
      const indexChanges = request.GlobalSecondaryIndexUpdates
        ? planIndexUpdates(txn, meta, request.GlobalSecondaryIndexUpdates, request.AttributeDefinitions, nowMs, ctx.settings.updateTableMs, allocateStoreId)
        : undefined;
      if (indexChanges) {
        updated.indexes = indexChanges.indexes;
        updated.attributeDefinitions = indexChanges.attributeDefinitions;
      }
      if (replicaChanges.length) makeGlobal(ctx, txn, updated, replicaChanges);
      txn.putTable(meta.name, updated);
      const onlyProtection = !request.BillingMode && !request.ProvisionedThroughput && !request.StreamSpecification && !replicaChanges.length;
      return { updated, indexChanges, description: describe(ctx, updated, readStats(txn, meta.id), onlyProtection ? 'ACTIVE' : 'UPDATING', (id) => readStats(txn, id)) };
    });
    // Replicas are built in the background, as DynamoDB does: the table reports them CREATING meanwhile.
    for (const update of request.ReplicaUpdates ?? []) {
      if (update.Create?.RegionName) ctx.replication!.createReplica(description.updated, update.Create.RegionName);
      if (update.Delete?.RegionName) ctx.replication!.deleteReplica(description.updated, update.Delete.RegionName);
    }
    const { indexChanges } = description;
    if (indexChanges?.created) runBackfill(ctx, request.TableName, indexChanges.created);
    shareIndexChange(ctx, description.updated, indexChanges);
    if (indexChanges?.deleted) {
      const deleted = indexChanges.deleted;
      ctx.clock.schedule(() => { void finishIndexDelete(ctx, request.TableName, deleted).catch(() => undefined); }, ctx.settings.updateTableMs);
    }
    return { TableDescription: description.description };
  },
});
