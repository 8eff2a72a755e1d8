/**
 * Global table membership. The region asked to add or remove a replica coordinates: it tells every
 * member the new membership, has the new region create its table and backfill it (a snapshot from
 * the coordinator, then each source's changes the snapshot may lack), then marks it ACTIVE.
 */
import type { Clock } from '../clock/clock.js';
import type { RegionContext } from '../dynamo/context.js';
import type { ReplicaStatus, TableMeta } from '../dynamo/tables.js';
import type { PeerTable } from '../dynamo/replicationControl.js';
import { withLegacyMembership } from '../dynamo/ops/createGlobalTable.js';
import { LEGACY_GLOBAL_TABLE_VERSION } from '../dynamo/ops/describeGlobalTable.js';
import { openStream, type StreamViewType } from '../streams/registry.js';
import type { ConflictLog } from './conflicts.js';
import { PeerRequestError, type PeerTransport } from './peerTransport.js';
import { mergeSnapshot } from './snapshot.js';
import { applyChanges } from './apply.js';
import { incomingOf } from './incoming.js';
import { readCheckpoint, readPosition } from './replicator.js';
import type { ChangeSource } from './changeSource.js';
import { definitionsOf, localIndexes, type IndexChangeRequest, type IndexDefinition } from '../dynamo/indexes/indexSync.js';
import { allocateStoreId } from '../dynamo/ops/createTable.js';

export type Membership = Record<string, ReplicaStatus>;

/** What a new replica needs to create its table. */
export interface ReplicaSchema {
  name: string;
  keySchema: TableMeta['keySchema'];
  attributeDefinitions: TableMeta['attributeDefinitions'];
  billingMode: TableMeta['billingMode'];
  throughput: TableMeta['throughput'];
  ttl?: TableMeta['ttl'];
  /** The view type of the global table's stream, which every replica shares; NEW_AND_OLD_IMAGES when absent. */
  streamViewType?: StreamViewType;
  /** The table's secondary indexes (each region gives them its own store ids). */
  indexes?: IndexDefinition[];
}

export class ReplicaConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplicaConflictError';
  }
}

export interface MembershipDeps {
  ctx: RegionContext;
  conflicts: ConflictLog;
  peer(name: string): PeerTransport | undefined;
  /** The stream of a source this region replicates from (through this region's link). */
  changeSource(source: string): ChangeSource | undefined;
  log(message: string): void;
}

export const schemaOf = (meta: TableMeta): ReplicaSchema => ({
  name: meta.name,
  keySchema: meta.keySchema,
  attributeDefinitions: meta.attributeDefinitions,
  billingMode: meta.billingMode,
  throughput: meta.throughput,
  ...(meta.ttl ? { ttl: meta.ttl } : {}),
  ...(meta.streamSpecification?.StreamViewType ? { streamViewType: meta.streamSpecification.StreamViewType } : {}),
  ...(meta.indexes?.length ? { indexes: definitionsOf(meta) } : {}),
});

/** Stores a membership for a local table; a region no longer listed drops out of replication for it. */
export async function setMembership(ctx: RegionContext, table: string, members: Membership): Promise<void> {
  await ctx.store.write((txn) => {
    const meta = txn.getTable<TableMeta>(table);
    if (!meta || meta.deleting) return;
    // A table whose last other replica left is a regional table again.
    const alone = Object.keys(members).every((r) => r === ctx.region);
    const { replicas: _old, replicaIndexes: _settings, ...regional } = meta;
    txn.putTable(table, alone ? regional : { ...meta, replicas: members });
  });
}

function localMembers(ctx: RegionContext, table: string): Membership | undefined {
  return ctx.store.read((txn) => txn.getTable<TableMeta>(table)?.replicas);
}

/** Sends a membership to every member but this region and those excluded; retries unreachable ones later. */
async function broadcast(deps: MembershipDeps, table: string, members: Membership, exclude: string[] = []): Promise<void> {
  const targets = Object.keys(members).filter((r) => r !== deps.ctx.region && !exclude.includes(r));
  await Promise.all(targets.map((region) => withRetry(deps, `membership of ${table} to ${region}`,
    () => deps.peer(region)!.membership({ table, members }))));
}

/** Resolves after ms of the region's time (virtual in the simulator). */
function delay(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => { clock.schedule(resolve, ms); });
}

/** A second apart: how long a removal waits for the other replicas to apply the removed region's last writes. */
const DRAIN_ATTEMPTS = 600;

class NotYetAppliedError extends Error {
  constructor(region: string, source: string, applied: number, lsn: number) {
    super(`${region} has applied ${source}'s changes up to ${applied} of ${lsn}`);
    this.name = 'NotYetAppliedError';
  }
}

/** Tells every other member of a global table that one of its indexes was created or deleted here. */
export async function broadcastIndexChange(deps: MembershipDeps, members: Membership, change: IndexChangeRequest): Promise<void> {
  const targets = Object.keys(members).filter((r) => r !== deps.ctx.region && deps.peer(r));
  await Promise.all(targets.map((region) => withRetry(deps, `index change of ${change.table} to ${region}`,
    () => deps.peer(region)!.indexChange(change))));
}

async function withRetry<T>(deps: MembershipDeps, what: string, fn: () => Promise<T>, attempts = 60): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || error instanceof ReplicaConflictError) throw error;
      if (attempt === 1) deps.log(`${what}: ${(error as Error).message} (retrying)`);
      await delay(deps.ctx.clock, 1000);
    }
  }
}

/** Coordinator side of adding `region` (already CREATING in the local membership). */
export async function coordinateCreate(deps: MembershipDeps, table: string, region: string): Promise<void> {
  const { ctx } = deps;
  const members = localMembers(ctx, table);
  const meta = ctx.store.read((txn) => txn.getTable<TableMeta>(table));
  if (!members || !meta) return;
  await broadcast(deps, table, members, [region]);
  try {
    await withRetry(deps, `creating the replica of ${table} in ${region}`,
      // A ReplicaConflictError (the region has a regional table of that name) is not retried.
      () => deps.peer(region)!.createReplica({ schema: schemaOf(meta), members, coordinator: ctx.region }));
  } catch (error) {
    const without = { ...localMembers(ctx, table) };
    delete without[region];
    await setMembership(ctx, table, without);
    await broadcast(deps, table, without);
    throw error;
  }
  const active = { ...localMembers(ctx, table), [region]: 'ACTIVE' as const };
  await setMembership(ctx, table, active);
  await broadcast(deps, table, active);
}

/** Coordinator side of removing `region`'s replica. */
/**
 * Coordinator side of removing `region` (already DELETING in the local membership). Its writes
 * still on their way must reach every other replica before any of them stops taking its changes
 * (a replica ignores changes from a region that is not a member): so the region drops its table
 * first — no more writes there — and the others leave it only once they have applied everything
 * it wrote. A remaining replica out of reach for longer than the wait gets the new membership
 * anyway, and may then miss the region's last writes.
 */
export async function coordinateDelete(deps: MembershipDeps, table: string, region: string): Promise<void> {
  const peer = deps.peer(region)!;
  await withRetry(deps, `deleting the replica of ${table} in ${region}`, () => peer.deleteReplica(table));
  const members = { ...localMembers(deps.ctx, table) };
  delete members[region];
  // A region that cannot say how far it wrote is gone: there is nothing of it left to wait for.
  const { ownLsn } = await withRetry(deps, `asking ${region} how far it wrote`, () => peer.info()).catch(() => ({ ownLsn: 0 }));
  await withRetry(deps, `waiting until every replica of ${table} applied ${region}'s last writes`,
    () => appliedEverywhere(deps, Object.keys(members), region, ownLsn), DRAIN_ATTEMPTS).catch(() => undefined);
  // The others first: once the coordinator no longer lists the region, every replica has left it.
  await broadcast(deps, table, members);
  await setMembership(deps.ctx, table, members);
}

/** Every one of `regions` has applied `source`'s own changes up to `lsn`; throws NotYetAppliedError until then. */
async function appliedEverywhere(deps: MembershipDeps, regions: string[], source: string, lsn: number): Promise<void> {
  for (const region of regions) {
    const applied = region === deps.ctx.region ? readCheckpoint(deps.ctx, source) : (await deps.peer(region)!.info()).checkpoints[source] ?? 0;
    if (applied < lsn) throw new NotYetAppliedError(region, source, applied, lsn);
  }
}

/** New-replica side: create the table, backfill it, then report it ACTIVE. */
export async function acceptReplica(deps: MembershipDeps, schema: ReplicaSchema, members: Membership, coordinator: string): Promise<void> {
  const { ctx } = deps;
  await createReplicaTable(ctx, schema, members);
  const snapshot = await deps.peer(coordinator)!.snapshot(schema.name);
  // The coordinator's table is gone (deleted meanwhile): it stops asking once its retries run out.
  if (!snapshot) throw new PeerRequestError(`region ${coordinator} has no table ${schema.name} to copy`, 404);
  await mergeSnapshot(ctx, deps.conflicts, snapshot);
  // Changes this region's replicators passed over before the table existed, that the snapshot may lack.
  for (const source of Object.keys(members).filter((r) => r !== ctx.region)) {
    const applied = readCheckpoint(ctx, source);
    const covered = snapshot.positions[source] ?? 0;
    const changeSource = deps.changeSource(source);
    if (applied <= covered || !changeSource) continue;
    // Every change after the snapshot's lsn is in a message after its position, and every change
    // this region applied is in a message up to its own.
    const fromSeq = (snapshot.streamPositions?.[source] ?? covered) + 1;
    const toSeq = ctx.store.read((txn) => readPosition(txn, source)).seq;
    const messages = await changeSource.readTable(schema.name, { fromSeq, toSeq, afterLsn: covered });
    await ctx.store.write((txn) => applyChanges(ctx, txn, deps.conflicts, messages.map(incomingOf)));
  }
  await ctx.store.write((txn) => {
    const meta = txn.getTable<TableMeta>(schema.name);
    if (meta) txn.putTable(schema.name, { ...meta, busyUntilMs: ctx.clock.trueNowMs(), replicas: { ...meta.replicas, [ctx.region]: 'ACTIVE' } });
  });
}

async function createReplicaTable(ctx: RegionContext, schema: ReplicaSchema, members: Membership): Promise<void> {
  await ctx.store.write((txn) => {
    const existing = txn.getTable<TableMeta>(schema.name);
    if (existing) {
      // A retried request for a replica already being created is fine; a regional table of that name is not.
      if (existing.replicas && Object.hasOwn(existing.replicas, ctx.region)) return;
      throw new ReplicaConflictError(`Table already exists: ${schema.name}`);
    }
    const id = allocateStoreId(txn);
    const nowMs = ctx.clock.trueNowMs();
    const viewType = schema.streamViewType ?? 'NEW_AND_OLD_IMAGES';
    const meta: TableMeta = {
      id,
      name: schema.name,
      tableId: ctx.ids.uuid(),
      keySchema: schema.keySchema,
      attributeDefinitions: schema.attributeDefinitions,
      billingMode: schema.billingMode,
      throughput: { ...schema.throughput, NumberOfDecreasesToday: 0 },
      createdAtMs: nowMs,
      // CREATING until the backfill is done.
      busyUntilMs: Number.MAX_SAFE_INTEGER,
      busyStatus: 'CREATING',
      streamSpecification: { StreamEnabled: true, StreamViewType: viewType },
      ...(schema.ttl ? { ttl: schema.ttl } : {}),
      // Built from the snapshot's items as they are merged, like the table itself.
      ...(schema.indexes?.length ? { indexes: localIndexes(txn, schema.indexes) } : {}),
      replicas: { ...members, [ctx.region]: 'CREATING' },
    };
    const opened = openStream(ctx, txn, meta, viewType);
    meta.latestStream = { arn: opened.arn, label: opened.label };
    txn.putTable(meta.name, meta);
  });
}

/** A table as a peer reports it to a region checking whether it may join a legacy global table. */
export const peerTableOf = (meta: TableMeta, itemCount: number): PeerTable => ({
  name: meta.name,
  keySchema: meta.keySchema,
  attributeDefinitions: meta.attributeDefinitions,
  itemCount,
  ...(meta.indexes?.length ? { indexes: meta.indexes.map((index) => index.name) } : {}),
  ...(meta.streamSpecification?.StreamEnabled ? { streamSpecification: meta.streamSpecification } : {}),
  ...(meta.replicas ? { replicas: meta.replicas } : {}),
  ...(meta.globalTableVersion ? { globalTableVersion: meta.globalTableVersion } : {}),
  billingMode: meta.billingMode,
  throughput: { ReadCapacityUnits: meta.throughput.ReadCapacityUnits, WriteCapacityUnits: meta.throughput.WriteCapacityUnits },
});

/**
 * Stores a legacy (2017.11.29) global table's membership. A region it does not list has left: its table
 * stays, as a regional table again, as DynamoDB leaves the table of a removed replica in place.
 */
export async function setLegacyMembership(ctx: RegionContext, table: string, members: Membership): Promise<void> {
  await ctx.store.write((txn) => {
    const meta = txn.getTable<TableMeta>(table);
    if (meta && !meta.deleting) txn.putTable(table, withLegacyMembership(meta, ctx.region, members));
  });
}

/** The client waits for a legacy membership change, so an unreachable region fails it quickly rather than after a minute of retries. */
const ANNOUNCE_ATTEMPTS = 3;

/** Sends a legacy global table's membership to the given regions (members and leavers alike) and waits for each. */
export async function announceLegacyMembership(deps: MembershipDeps, table: string, members: Membership, regions: string[]): Promise<void> {
  const targets = regions.filter((r) => r !== deps.ctx.region);
  await Promise.all(targets.map((region) => withRetry(deps, `legacy membership of ${table} to ${region}`,
    () => deps.peer(region)!.membership({ table, members, globalTableVersion: LEGACY_GLOBAL_TABLE_VERSION }),
    ANNOUNCE_ATTEMPTS)));
}
