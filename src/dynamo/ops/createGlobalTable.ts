/** CreateGlobalTable (2017.11.29): joins same-named, empty, stream-enabled tables of several regions into one global table. */
import { GlobalTableAlreadyExistsException, invalid, TableNotFoundException } from '../errors.js';
import type { PeerTable } from '../replicationControl.js';
import { readStats, type ReplicaStatus, type TableMeta } from '../tables.js';
import { list, str, struct } from '../validation/shape.js';
import { globalTableDescription, globalTableNameRule, LEGACY_GLOBAL_TABLE_VERSION } from './describeGlobalTable.js';
import { defineOperation } from './operation.js';
import type { RegionContext } from '../context.js';

interface CreateGlobalTableRequest {
  GlobalTableName: string;
  ReplicationGroup: { RegionName?: string }[];
}

export type Members = Record<string, ReplicaStatus>;

const PREFIX = 'One or more parameter values were invalid: ';

/** A table that is to join a global table, wherever it lives. */
export interface Candidate extends PeerTable {
  region: string;
}

/** Regions are reached only through configured peers; a region without replication has none. */
export function requirePeers(ctx: RegionContext, regions: string[]): void {
  const peers = ctx.replication?.peerNames() ?? [];
  for (const region of regions) {
    if (region === ctx.region || peers.includes(region)) continue;
    invalid(`${PREFIX}Region ${region} is not a peer of ${ctx.region} (peers: ${peers.join(', ') || 'none'}); start this region with --peer ${region}=<endpoint>`);
  }
}

function tableNotFound(name: string, region: string): never {
  throw new TableNotFoundException(`Table not found: Table: '${name}' not found in region: '${region}'.`);
}

export function globalTableExists(name: string): never {
  throw new GlobalTableAlreadyExistsException(`Global table already exists: Global table with name: '${name}' already exists.`);
}

function localCandidate(ctx: RegionContext, name: string): Candidate | undefined {
  return ctx.store.read((txn) => {
    const meta = txn.getTable<TableMeta>(name);
    if (!meta || meta.deleting) return undefined;
    return {
      region: ctx.region,
      name,
      keySchema: meta.keySchema,
      attributeDefinitions: meta.attributeDefinitions,
      itemCount: readStats(txn, meta.id).itemCount,
      ...(meta.streamSpecification?.StreamEnabled ? { streamSpecification: meta.streamSpecification } : {}),
      ...(meta.replicas ? { replicas: meta.replicas } : {}),
    };
  });
}

/** Each region's table of that name; a region without one fails the request, as in DynamoDB. */
export async function candidates(ctx: RegionContext, name: string, regions: string[]): Promise<Candidate[]> {
  requirePeers(ctx, regions);
  const found = await Promise.all(regions.map((region) =>
    region === ctx.region ? localCandidate(ctx, name) : ctx.replication!.peerTable(region, name)));
  // Reported in request order, whichever peer answered first.
  return found.map((table, i) => (table ? { ...table, region: regions[i] } : tableNotFound(name, regions[i])));
}

/** Key attribute names, roles and types: what every replica must share. */
function keySignature(table: Pick<PeerTable, 'keySchema' | 'attributeDefinitions'>): string {
  return table.keySchema.map((k) => {
    const type = table.attributeDefinitions.find((d) => d.AttributeName === k.AttributeName)?.AttributeType;
    return `${k.AttributeName}:${k.KeyType}:${type}`;
  }).join(',');
}

/** DynamoDB's conditions for a table to join: not global yet, the reference's key schema, a NEW_AND_OLD_IMAGES stream, no items. */
export function checkCandidates(reference: Candidate, joining: Candidate[]): void {
  for (const table of joining) if (table.replicas) globalTableExists(table.name);
  const keys = keySignature(reference);
  for (const table of joining) {
    const where = `Table ${table.name} in region ${table.region}`;
    if (keySignature(table) !== keys) {
      invalid(`${PREFIX}${where} has a different key schema than table ${reference.name} in region ${reference.region}`);
    }
    if (table.streamSpecification?.StreamViewType !== 'NEW_AND_OLD_IMAGES') {
      invalid(`${PREFIX}${where} must have DynamoDB Streams enabled with StreamViewType NEW_AND_OLD_IMAGES`);
    }
    if (table.itemCount > 0) invalid(`${PREFIX}${where} is not empty: only empty tables can join a global table`);
  }
}

/** The table under a legacy membership: a member's table is global, the table of a region left out is regional again. */
export function withLegacyMembership(meta: TableMeta, region: string, members: Members): TableMeta {
  if (Object.hasOwn(members, region)) return { ...meta, replicas: members, globalTableVersion: LEGACY_GLOBAL_TABLE_VERSION };
  const { replicas: _replicas, globalTableVersion: _version, ...regional } = meta;
  return regional;
}

/** Stores the membership in this region; `expectRegional` guards against a concurrent CreateGlobalTable having won since the checks. */
export async function storeLocalMembership(ctx: RegionContext, name: string, members: Members, expectRegional: boolean): Promise<TableMeta> {
  return ctx.store.write((txn) => {
    const meta = txn.getTable<TableMeta>(name);
    if (!meta || meta.deleting) tableNotFound(name, ctx.region);
    if (expectRegional && meta.replicas) globalTableExists(name);
    const updated = withLegacyMembership(meta, ctx.region, members);
    txn.putTable(name, updated);
    return updated;
  });
}

export const createGlobalTable = defineOperation<CreateGlobalTableRequest, unknown>({
  name: 'CreateGlobalTable',
  shape: {
    GlobalTableName: globalTableNameRule(),
    ReplicationGroup: list(struct('Replica', { RegionName: str() }, { notNull: true }), { notNull: true }),
  },
  async run(ctx, request) {
    const name = request.GlobalTableName;
    const regions = [...new Set(request.ReplicationGroup.map((r) => r?.RegionName))];
    if (regions.some((r) => !r)) invalid(`${PREFIX}RegionName is required in each member of ReplicationGroup`);
    if (!regions.includes(ctx.region)) {
      invalid(`${PREFIX}ReplicationGroup must include the region that receives the request: ${ctx.region}`);
    }
    const tables = await candidates(ctx, name, regions as string[]);
    checkCandidates(tables.find((t) => t.region === ctx.region)!, tables);
    const members: Members = Object.fromEntries(tables.map((t) => [t.region, 'ACTIVE' as const]));
    // Every peer knows the membership before the client can write, so no region ignores a write as foreign.
    await ctx.replication?.announceLegacyMembership(name, members, Object.keys(members));
    const meta = await storeLocalMembership(ctx, name, members, true);
    return { GlobalTableDescription: globalTableDescription(ctx, meta, members) };
  },
});
