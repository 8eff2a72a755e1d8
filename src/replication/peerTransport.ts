/**
 * The PeerTransport seam: the region-to-region protocol that builds and repairs global tables
 * (info, a table's view, snapshots, replica create / membership / delete / settings). Real: HTTP to the peer's
 * admin API (peers.ts). Simulated: an in-process call through the simulated network
 * (src/sim/peerTransport.ts), so a partition cuts it as it cuts the stream.
 */
import type { IndexChangeRequest } from '../dynamo/indexes/indexSync.js';
import type { PeerTable } from '../dynamo/replicationControl.js';
import type { ReplicaSchema, Membership } from './replicas.js';
import type { TableSnapshot } from './snapshot.js';
import type { ReplicaSettingsRequest } from './peerWire.js';

export interface PeerInfo {
  region: string;
  natsUrl?: string | null;
  lastLsn: number;
  /** The lsn of the last change the region's own clients made: the head of what its peers follow. */
  ownLsn: number;
  /** How far its replicator from each peer has applied that peer's changes (lsns of the peer's log). */
  checkpoints: Record<string, number>;
}

/** The peer could not be reached or failed the request; status as HTTP would say it, when it answered. */
export class PeerRequestError extends Error {
  constructor(message: string, readonly status?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PeerRequestError';
  }
}

export interface PeerTransport {
  readonly name: string;
  info(): Promise<PeerInfo>;
  /** The peer's table as a joining legacy global table checks it; undefined when it has none. */
  table(name: string): Promise<PeerTable | undefined>;
  /** Items and tombstones with versions, and the source positions they reflect; undefined when the peer has no such table. */
  snapshot(table: string): Promise<TableSnapshot | undefined>;
  /** Creates and backfills the peer's replica; ReplicaConflictError when it has a regional table of that name. */
  createReplica(request: { schema: ReplicaSchema; members: Membership; coordinator: string }): Promise<void>;
  membership(request: { table: string; members: Membership; globalTableVersion?: string }): Promise<void>;
  deleteReplica(table: string): Promise<void>;
  /** Changes the capacity settings of the peer's replica (a legacy global table's UpdateGlobalTableSettings). */
  replicaSettings(request: ReplicaSettingsRequest): Promise<void>;
  /** One of a global table's indexes was created or deleted: the peer does the same to its replica. */
  indexChange(request: IndexChangeRequest): Promise<void>;
}
