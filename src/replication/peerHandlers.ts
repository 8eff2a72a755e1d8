/**
 * The server side of the region-to-region protocol (peerWire.ts), as plain functions over a region:
 * the admin routes call them behind HTTP, the simulated transport calls them in-process, so both
 * modes run one server-side code path. Refusals are typed errors; peerErrorStatus says what each
 * answers as.
 */
import { applyIndexChange, type IndexChangeRequest } from '../dynamo/indexes/indexSync.js';
import type { RegionContext } from '../dynamo/context.js';
import type { PeerTable } from '../dynamo/replicationControl.js';
import { readStats, type TableMeta } from '../dynamo/tables.js';
import { LEGACY_GLOBAL_TABLE_VERSION } from '../dynamo/ops/describeGlobalTable.js';
import { lastOwnLsn } from './ownChanges.js';
import { PeerRequestError } from './peerTransport.js';
import { readCheckpoints } from './replicator.js';
import type { CreateReplicaRequest, DeleteReplicaRequest, InfoResponse, MembershipRequest, ReplicaSettingsRequest } from './peerWire.js';
import { applyReplicaSettings } from '../dynamo/replicaSettings.js';
import { peerTableOf, ReplicaConflictError, type Membership, type ReplicaSchema } from './replicas.js';
import type { TableSnapshot } from './snapshot.js';

/** What the handlers need of a region's replication (Replication in a real region). */
export interface ReplicaHost {
  peerNames(): string[];
  snapshot(table: string): TableSnapshot | undefined;
  acceptReplica(schema: ReplicaSchema, members: Membership, coordinator: string): Promise<void>;
  acceptMembership(table: string, members: Membership): Promise<void>;
  acceptLegacyMembership(table: string, members: Membership): Promise<void>;
  dropReplica(table: string): Promise<void>;
}

/** The region the handlers serve; read on every call, since replication starts after a region answers. */
export interface PeerHost {
  ctx: RegionContext;
  replication?: ReplicaHost;
  /** The change stream's nats-server, as the region publishes it. */
  natsUrl?: string;
  nats?: { readonly pid: number | undefined };
}

/** A region without a change stream cannot hold a replica or change a membership. */
export class NoReplicationError extends Error {
  constructor() {
    super('this region does not replicate (it has no change stream)');
    this.name = 'NoReplicationError';
  }
}

/** A new replica backfills from its coordinator, which must be one of its peers. */
export class UnknownCoordinatorError extends Error {
  readonly field = 'coordinator';
  constructor(peers: string[]) {
    super(`must be a peer of this region (${peers.join(', ') || 'none'})`);
    this.name = 'UnknownCoordinatorError';
  }
}

export interface PeerHandlers {
  info(): Promise<InfoResponse>;
  /** undefined: no such table (or it is being deleted). */
  table(name: string): Promise<PeerTable | undefined>;
  /** undefined: no such table, or the region does not replicate. */
  snapshot(table: string): Promise<TableSnapshot | undefined>;
  createReplica(request: CreateReplicaRequest): Promise<void>;
  membership(request: MembershipRequest): Promise<void>;
  deleteReplica(request: DeleteReplicaRequest): Promise<void>;
  /** A replica this region no longer has takes no settings: nothing to change. */
  replicaSettings(request: ReplicaSettingsRequest): Promise<void>;
  indexChange(request: IndexChangeRequest): Promise<void>;
}

function replicationOf(host: PeerHost): ReplicaHost {
  if (!host.replication) throw new NoReplicationError();
  return host.replication;
}

export function peerHandlers(host: PeerHost): PeerHandlers {
  return {
    async info() {
      const { ctx } = host;
      return {
        region: ctx.region,
        natsUrl: host.natsUrl ?? null,
        natsPid: host.nats?.pid ?? null,
        lastLsn: ctx.store.lastLsn(),
        ownLsn: lastOwnLsn(ctx),
        checkpoints: readCheckpoints(ctx, host.replication?.peerNames() ?? []),
        clock: { mode: ctx.clockState.mode, skewMs: ctx.clock.skewMs },
        granularity: ctx.granularity,
        peers: host.replication?.peerNames() ?? [],
      };
    },

    async table(name) {
      return host.ctx.store.read((txn) => {
        const meta = txn.getTable<TableMeta>(name);
        return meta && !meta.deleting ? peerTableOf(meta, readStats(txn, meta.id).itemCount) : undefined;
      });
    },

    async snapshot(table) {
      return host.replication?.snapshot(table);
    },

    async createReplica({ schema, members, coordinator }) {
      const replication = replicationOf(host);
      if (!replication.peerNames().includes(coordinator)) throw new UnknownCoordinatorError(replication.peerNames());
      await replication.acceptReplica(schema, members, coordinator);
    },

    async membership({ table, members, globalTableVersion }) {
      const replication = replicationOf(host);
      // A legacy (2017.11.29) global table's membership carries its version: a region it leaves out has left.
      if (globalTableVersion === LEGACY_GLOBAL_TABLE_VERSION) await replication.acceptLegacyMembership(table, members);
      else await replication.acceptMembership(table, members);
    },

    async deleteReplica({ table }) {
      await replicationOf(host).dropReplica(table);
    },

    async replicaSettings({ table, change }) {
      await applyReplicaSettings(host.ctx, table, change);
    },

    async indexChange(request) {
      replicationOf(host);
      await applyIndexChange(host.ctx, request);
    },
  };
}

/**
 * The status a handler's refusal answers as; undefined for anything else (a failure of the region
 * itself, a 500). A PeerRequestError here is the region's own call to another peer failing (the
 * coordinator did not answer for the snapshot): the caller retries.
 */
export function peerErrorStatus(error: unknown): 400 | 409 | 502 | undefined {
  if (error instanceof UnknownCoordinatorError) return 400;
  if (error instanceof ReplicaConflictError || error instanceof NoReplicationError) return 409;
  if (error instanceof PeerRequestError) return 502;
  return undefined;
}
