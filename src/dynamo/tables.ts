/** Table metadata as stored, its lifecycle (CREATING → ACTIVE → DELETING) and its wire description. */
import type { AttributeDefinition, KeySchemaElement, KeyShape, KeyType, Version } from '../core/types.js';
import { ResourceInUseException, ResourceNotFoundException } from './errors.js';
import type { RegionContext } from './context.js';
import type { StoreTxn } from '../storage/store.js';
import type { Tag } from './tags.js';
import { describeIndexes, type IndexMeta } from './indexes/indexMeta.js';
import { describeReplicaIndexes, type ReplicaIndexSettings } from './indexes/replicaIndexes.js';

export interface ThroughputMeta {
  ReadCapacityUnits: number;
  WriteCapacityUnits: number;
  LastIncreaseDateTime?: number;
  LastDecreaseDateTime?: number;
  NumberOfDecreasesToday: number;
}

export interface StreamSpecification {
  StreamEnabled: boolean;
  StreamViewType?: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';
}

export interface TableMeta {
  id: number;
  name: string;
  tableId: string;
  keySchema: KeySchemaElement[];
  attributeDefinitions: AttributeDefinition[];
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  throughput: ThroughputMeta;
  /**
   * What the table shows of its throughput while a change of it is under way: the capacity it had,
   * and the time the change was asked for (DynamoDB applies the new capacity when the update ends).
   */
  throughputWhileUpdating?: ThroughputMeta;
  createdAtMs: number;
  /** Until this time the table reports CREATING (or UPDATING after an update). */
  busyUntilMs: number;
  busyStatus: 'CREATING' | 'UPDATING';
  deleting?: boolean;
  streamSpecification?: StreamSpecification;
  ttl?: { attributeName: string; enabled: boolean };
  /** The most recent stream of the table (kept after the stream is disabled, as DynamoDB does). */
  latestStream?: { arn: string; label: string };
  deletionProtection?: boolean;
  /** A global table's replicas by region (this region included) and their status; absent for a regional table. */
  replicas?: Record<string, ReplicaStatus>;
  /** Set on tables joined with CreateGlobalTable (2017.11.29); absent for 2019.11.21 global tables and regional tables. */
  globalTableVersion?: '2017.11.29';
  /** The table's tags in the order they were first set (TagResource, CreateTable's Tags); regional, as in DynamoDB. */
  tags?: Tag[];
  /** Point-in-time recovery, a setting only (nothing is restored): when it was turned on and how far back it reaches; absent when off. */
  pointInTimeRecovery?: { enabledAtMs: number; recoveryPeriodInDays: number };
  /** The newest version of any tombstone purged from the table: no write to a forgotten key is stamped below it. */
  purgedVersion?: Version;
  /** Local and global secondary indexes, in the order they were defined. */
  indexes?: IndexMeta[];
  /** Replica-specific settings of global indexes, per replica region (ReplicaUpdates' GlobalSecondaryIndexes). */
  replicaIndexes?: ReplicaIndexSettings;
}

export type ReplicaStatus = 'CREATING' | 'ACTIVE' | 'DELETING';

export const GLOBAL_TABLE_VERSION = '2019.11.21';

export interface TableStats {
  itemCount: number;
  sizeBytes: number;
}

export type TableStatus = 'CREATING' | 'UPDATING' | 'ACTIVE' | 'DELETING';

export function tableStatus(meta: TableMeta, nowMs: number): TableStatus {
  if (meta.deleting) return 'DELETING';
  return nowMs < meta.busyUntilMs ? meta.busyStatus : 'ACTIVE';
}

const shapes = new WeakMap<object, KeyShape>();

/** The table's key names and types; computed once per metadata object, since every request needs it. */
export function keyShapeOf(meta: Pick<TableMeta, 'keySchema' | 'attributeDefinitions'>): KeyShape {
  let shape = shapes.get(meta);
  if (!shape) {
    shape = computeKeyShape(meta);
    shapes.set(meta, shape);
  }
  return shape;
}

function computeKeyShape(meta: Pick<TableMeta, 'keySchema' | 'attributeDefinitions'>): KeyShape {
  const typeOf = (name: string): KeyType =>
    meta.attributeDefinitions.find((d) => d.AttributeName === name)!.AttributeType;
  const hash = meta.keySchema.find((k) => k.KeyType === 'HASH')!.AttributeName;
  const range = meta.keySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  return {
    hash: { name: hash, type: typeOf(hash) },
    ...(range ? { range: { name: range, type: typeOf(range) } } : {}),
  };
}

export function tableArn(ctx: RegionContext, name: string): string {
  return `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${name}`;
}

const statsKey = (id: number): string => `stats:${id}`;

export function readStats(txn: StoreTxn, id: number): TableStats {
  return txn.getMeta<TableStats>(statsKey(id)) ?? { itemCount: 0, sizeBytes: 0 };
}

export function adjustStats(txn: StoreTxn, id: number, itemDelta: number, sizeDelta: number): void {
  if (itemDelta === 0 && sizeDelta === 0) return;
  const stats = readStats(txn, id);
  txn.putMeta(statsKey(id), { itemCount: stats.itemCount + itemDelta, sizeBytes: stats.sizeBytes + sizeDelta });
}

/** What the item operations say of a missing table. */
export function notFound(): never {
  throw new ResourceNotFoundException('Requested resource not found');
}

/** What the table operations (DescribeTable, UpdateTable, DeleteTable, the TTL operations) say of a missing table. */
export function tableNotFound(name: string): never {
  throw new ResourceNotFoundException(`Requested resource not found: Table: ${name} not found`);
}

const BEING = { CREATING: 'created', UPDATING: 'updated', DELETING: 'deleted' } as const;

/** The table as table-changing operations need it: existing and ACTIVE. */
export function requireActiveTable(txn: StoreTxn, name: string, nowMs: number): TableMeta {
  const meta = txn.getTable<TableMeta>(name);
  if (!meta) tableNotFound(name);
  const status = tableStatus(meta, nowMs);
  if (status !== 'ACTIVE') {
    throw new ResourceInUseException(`Attempt to change a resource which is still in use: Table is being ${BEING[status]}: ${meta.name}`);
  }
  return meta;
}

/** The table as item operations see it: it must exist, be created already and not be on its way out (DynamoDB: not found). */
export function requireTable(txn: StoreTxn, name: string, nowMs: number): TableMeta {
  const meta = txn.getTable<TableMeta>(name);
  if (!meta || meta.deleting || tableStatus(meta, nowMs) === 'CREATING') notFound();
  return meta;
}

const seconds = (ms: number): number => ms / 1000;

/** TableDescription exactly as DescribeTable (and Create/Update/DeleteTable) return it. */
export function describe(
  ctx: RegionContext, meta: TableMeta, stats: TableStats, status?: TableStatus, indexStats: (id: number) => TableStats = () => ({ itemCount: 0, sizeBytes: 0 }),
): Record<string, unknown> {
  const nowMs = ctx.clock.trueNowMs();
  const shown = (status ?? tableStatus(meta, nowMs)) === 'UPDATING' && meta.throughputWhileUpdating ? meta.throughputWhileUpdating : meta.throughput;
  const throughput: Record<string, unknown> = {
    NumberOfDecreasesToday: shown.NumberOfDecreasesToday,
    ReadCapacityUnits: shown.ReadCapacityUnits,
    WriteCapacityUnits: shown.WriteCapacityUnits,
  };
  if (shown.LastIncreaseDateTime) throughput.LastIncreaseDateTime = seconds(shown.LastIncreaseDateTime);
  if (shown.LastDecreaseDateTime) throughput.LastDecreaseDateTime = seconds(shown.LastDecreaseDateTime);
  const description: Record<string, unknown> = {
    AttributeDefinitions: meta.attributeDefinitions,
    TableName: meta.name,
    KeySchema: meta.keySchema,
    TableStatus: status ?? tableStatus(meta, nowMs),
    CreationDateTime: seconds(meta.createdAtMs),
    ProvisionedThroughput: throughput,
    TableSizeBytes: stats.sizeBytes,
    ItemCount: stats.itemCount,
    TableArn: tableArn(ctx, meta.name),
    TableId: meta.tableId,
    DeletionProtectionEnabled: meta.deletionProtection ?? false,
  };
  if (meta.indexes?.length) {
    const creating = (status ?? tableStatus(meta, nowMs)) === 'CREATING';
    Object.assign(description, describeIndexes(meta.indexes, tableArn(ctx, meta.name), creating, nowMs, indexStats));
    // A table on its way out no longer lists its global indexes (its local ones stay with it).
    if ((status ?? tableStatus(meta, nowMs)) === 'DELETING') delete description.GlobalSecondaryIndexes;
  }
  if (meta.billingMode === 'PAY_PER_REQUEST') {
    description.BillingModeSummary = {
      BillingMode: 'PAY_PER_REQUEST',
      LastUpdateToPayPerRequestDateTime: seconds(meta.createdAtMs),
    };
  }
  if (meta.streamSpecification?.StreamEnabled) description.StreamSpecification = meta.streamSpecification;
  if (meta.latestStream) {
    description.LatestStreamArn = meta.latestStream.arn;
    description.LatestStreamLabel = meta.latestStream.label;
  }
  // The region's own-key encryption of everything on its disk (ops/sseSpecification.ts); without it, none to describe.
  if (ctx.encryptedAtRest) description.SSEDescription = { Status: 'ENABLED', SSEType: 'AES256' };
  if (meta.replicas) {
    description.GlobalTableVersion = meta.globalTableVersion ?? GLOBAL_TABLE_VERSION;
    description.Replicas = Object.entries(meta.replicas)
      .filter(([region]) => region !== ctx.region)
      .map(([RegionName, ReplicaStatus]) => ({ RegionName, ReplicaStatus, ...describeReplicaIndexes(meta, meta.replicaIndexes, RegionName) }));
  }
  return description;
}
