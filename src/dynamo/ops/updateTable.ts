/** UpdateTable: billing mode, provisioned throughput, stream and deletion-protection settings. */
import { setOwn } from '../../core/plainData.js';
import { invalid } from '../errors.js';
import { describe, readStats, requireActiveTable, type StreamSpecification, type TableMeta } from '../tables.js';
import { bool, list, str, struct, tableOperationNameRule } from '../validation/shape.js';
import { throughputRule } from './createTable.js';
import { defineOperation } from './operation.js';
import { streamSpecificationRule } from './streamSpecification.js';
import { alreadyDefaultEncryption, checkSseSpecification, sseSpecificationRule, type SSESpecification } from './sseSpecification.js';
import { closeStream, openStream } from '../../streams/registry.js';
import type { RegionContext } from '../context.js';
import type { StoreTxn } from '../../storage/store.js';
import type { AttributeDefinition } from '../../core/types.js';
import { allocateStoreId } from './createTable.js';
import { checkIndexUpdates, finishIndexDelete, globalIndexUpdatesRule, planIndexUpdates, type GlobalIndexUpdate, type IndexChanges } from '../indexes/indexUpdates.js';
import { runBackfill } from '../indexes/backfill.js';
import { definitionOf } from '../indexes/indexSync.js';
import { findIndex } from '../indexes/indexMeta.js';
import { checkReplicaIndexes, replicaIndexesRule, withoutReplica, withReplicaIndexes, type ReplicaIndexSetting } from '../indexes/replicaIndexes.js';

interface UpdateTableRequest {
  TableName: string;
  BillingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST';
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  StreamSpecification?: StreamSpecification;
  DeletionProtectionEnabled?: boolean;
  GlobalSecondaryIndexUpdates?: GlobalIndexUpdate[];
  AttributeDefinitions?: AttributeDefinition[];
  ReplicaUpdates?: ReplicaUpdate[];
  SSESpecification?: SSESpecification;
}

interface ReplicaUpdate {
  Create?: { RegionName?: string; GlobalSecondaryIndexes?: ReplicaIndexSetting[] };
  Update?: { RegionName?: string; GlobalSecondaryIndexes?: ReplicaIndexSetting[] };
  Delete?: { RegionName?: string };
}

const MAX_CAPACITY_UNITS = 1_000_000_000_000;
const PREFIX = 'One or more parameter values were invalid: ';

function checkRequest(request: UpdateTableRequest): void {
  if (!request.ProvisionedThroughput && !request.BillingMode && !request.StreamSpecification
    && !request.GlobalSecondaryIndexUpdates?.length && !request.ReplicaUpdates?.length
    && request.DeletionProtectionEnabled === undefined && !request.SSESpecification) {
    invalid('At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required');
  }
  if (request.SSESpecification) {
    if (request.ProvisionedThroughput || request.BillingMode || request.StreamSpecification || request.GlobalSecondaryIndexUpdates
      || request.ReplicaUpdates || request.DeletionProtectionEnabled !== undefined) {
      invalid(`${PREFIX}Server-Side Encryption modification must be the only operation in the request`);
    }
    checkSseSpecification(request.SSESpecification);
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

/**
 * The throughput once the update is done (`doneMs`), and, for a change of a provisioned table's
 * capacity, what the table shows meanwhile: its old capacity, the change's time already stamped,
 * its decreases counted only when the decrease is done (as DynamoDB reports them).
 */
function updatedThroughput(meta: TableMeta, request: UpdateTableRequest, nowMs: number, doneMs: number): { final: TableMeta['throughput']; whileUpdating?: TableMeta['throughput'] } {
  const billing = request.BillingMode ?? meta.billingMode;
  const wanted = request.ProvisionedThroughput;
  if (!wanted) {
    return { final: billing === 'PAY_PER_REQUEST' ? { ...meta.throughput, ReadCapacityUnits: 0, WriteCapacityUnits: 0 } : meta.throughput };
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
  const stamped = (atMs: number): Pick<TableMeta['throughput'], 'LastIncreaseDateTime' | 'LastDecreaseDateTime'> => ({
    ...(increased ? { LastIncreaseDateTime: atMs } : current.LastIncreaseDateTime ? { LastIncreaseDateTime: current.LastIncreaseDateTime } : {}),
    ...(decreased ? { LastDecreaseDateTime: atMs } : current.LastDecreaseDateTime ? { LastDecreaseDateTime: current.LastDecreaseDateTime } : {}),
  });
  const final = {
    ReadCapacityUnits: wanted.ReadCapacityUnits,
    WriteCapacityUnits: wanted.WriteCapacityUnits,
    NumberOfDecreasesToday: current.NumberOfDecreasesToday + (decreased ? 1 : 0),
    ...stamped(doneMs),
  };
  if (meta.billingMode !== 'PROVISIONED' || billing !== 'PROVISIONED') return { final };
  return { final, whileUpdating: { ReadCapacityUnits: current.ReadCapacityUnits, WriteCapacityUnits: current.WriteCapacityUnits, NumberOfDecreasesToday: current.NumberOfDecreasesToday, ...stamped(nowMs) } };
}

interface ReplicaChange {
  action: 'create' | 'update' | 'delete';
  region: string;
  indexes?: ReplicaIndexSetting[];
}

/** Checks ReplicaUpdates against the table and this region's peers; an Update changes only the replica's index settings. */
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
    const indexes = actions[0] === 'Delete' ? undefined : update[actions[0]]!.GlobalSecondaryIndexes;
    if (indexes) checkReplicaIndexes(meta, indexes);
    changes.push({ action: actions[0] === 'Create' ? 'create' : actions[0] === 'Update' ? 'update' : 'delete', region, ...(indexes ? { indexes } : {}) });
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
  let indexSettings = updated.replicaIndexes;
  for (const change of changes) {
    // A new replica starts from no settings (one that was removed before may have left some).
    if (change.action !== 'update') indexSettings = withoutReplica(indexSettings, change.region);
    if (change.action === 'create') setOwn(replicas, change.region, 'CREATING');
    if (change.action === 'delete') setOwn(replicas, change.region, 'DELETING');
    if (change.indexes) indexSettings = withReplicaIndexes(indexSettings, change.region, change.indexes);
  }
  updated.replicas = replicas;
  if (indexSettings) updated.replicaIndexes = indexSettings;
  else delete updated.replicaIndexes;
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
    TableName: tableOperationNameRule(),
    BillingMode: str({ enum: ['PROVISIONED', 'PAY_PER_REQUEST'] }),
    ProvisionedThroughput: throughputRule(),
    StreamSpecification: streamSpecificationRule(),
    DeletionProtectionEnabled: bool(),
    GlobalSecondaryIndexUpdates: globalIndexUpdatesRule(),
    AttributeDefinitions: list(struct('AttributeDefinition', {
      AttributeName: str({ notNull: true, lengthMin: 1, lengthMax: 255 }),
      AttributeType: str({ notNull: true, enum: ['B', 'N', 'S'] }),
    }, { notNull: true })),
    SSESpecification: sseSpecificationRule(),
    ReplicaUpdates: list(struct('ReplicationGroupUpdate', {
      Create: struct('CreateReplicationGroupMemberAction', { RegionName: str({ notNull: true }), GlobalSecondaryIndexes: replicaIndexesRule() }),
      Update: struct('UpdateReplicationGroupMemberAction', { RegionName: str({ notNull: true }), GlobalSecondaryIndexes: replicaIndexesRule() }),
      Delete: struct('DeleteReplicationGroupMemberAction', { RegionName: str({ notNull: true }) }),
    }, { notNull: true })),
  },
  async run(ctx, request) {
    checkRequest(request);
    const nowMs = ctx.clock.trueNowMs();
    const description = await ctx.store.write((txn) => {
      const meta = requireActiveTable(txn, request.TableName, nowMs);
      // Only the default encryption passes the checks, and the table has it.
      if (request.SSESpecification) alreadyDefaultEncryption();
      const replicaChanges = request.ReplicaUpdates?.length ? planReplicaUpdates(ctx, meta, request.ReplicaUpdates) : [];
      const doneMs = nowMs + ctx.settings.updateTableMs;
      const throughput = updatedThroughput(meta, request, nowMs, doneMs);
      const { throughputWhileUpdating: _previous, ...rest } = meta;
      const updated: TableMeta = {
        ...rest,
        billingMode: request.BillingMode ?? meta.billingMode,
        throughput: throughput.final,
        ...(throughput.whileUpdating ? { throughputWhileUpdating: throughput.whileUpdating } : {}),
        busyUntilMs: doneMs,
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
