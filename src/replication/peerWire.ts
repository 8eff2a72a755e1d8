/**
 * The region-to-region protocol in one place: the admin paths peers call, what each call carries
 * and answers, how long a caller waits, and what an answer's status means to the caller. The admin
 * routes (src/http/admin.ts) serve these paths; HttpPeerTransport (peers.ts) calls them; the
 * simulated transport carries the same requests and answers without HTTP. The admin routes check
 * bodies with the zod schemas in src/http/adminSchemas.ts, whose output must fit these types.
 */
import type { ClockMode } from '../core/version.js';
import type { Granularity } from '../core/lww.js';
import { PeerRequestError, type PeerInfo } from './peerTransport.js';
import { ReplicaConflictError, type Membership, type ReplicaSchema } from './replicas.js';
import type { ReplicaSettingsChange } from '../dynamo/replicaSettings.js';

export const PEER_PATHS = {
  info: '/admin/info',
  /** GET with ?table=<name>. */
  snapshot: '/admin/snapshot',
  /** GET; :name is the table. */
  table: '/admin/tables/:name',
  createReplica: '/admin/replicas/create',
  membership: '/admin/replicas/membership',
  deleteReplica: '/admin/replicas/delete',
  replicaSettings: '/admin/replicas/settings',
  indexChange: '/admin/replicas/index',
} as const;

export const snapshotPath = (table: string): string => `${PEER_PATHS.snapshot}?table=${encodeURIComponent(table)}`;
export const tablePath = (name: string): string => PEER_PATHS.table.replace(':name', encodeURIComponent(name));

/** How long a caller waits for an ordinary answer. */
export const PEER_TIMEOUT_MS = 10_000;
/** How long a caller waits for a snapshot, or for a new replica to be created and backfilled (a large table takes minutes). */
export const PEER_LONG_TIMEOUT_MS = 600_000;

/** GET info: what a peer says about itself (PeerInfo, and what an operator reads). */
export interface InfoResponse extends PeerInfo {
  natsUrl: string | null;
  natsPid: number | null;
  clock: { mode: ClockMode; skewMs: number };
  granularity: Granularity;
  peers: string[];
}

export interface CreateReplicaRequest {
  schema: ReplicaSchema;
  members: Membership;
  /** The region the new replica copies the table from; it must be one of the new replica's peers. */
  coordinator: string;
}

export interface MembershipRequest {
  table: string;
  members: Membership;
  /** '2017.11.29' for a legacy global table, whose membership a region it leaves out has left. */
  globalTableVersion?: string;
}

export type { IndexChangeRequest } from '../dynamo/indexes/indexSync.js';

export interface DeleteReplicaRequest {
  table: string;
}

/** A legacy global table's settings for the receiving region's replica (UpdateGlobalTableSettings). */
export interface ReplicaSettingsRequest {
  table: string;
  change: ReplicaSettingsChange;
}

/** The answer to a call that changes something and has nothing to report. */
export interface OkResponse {
  ok: true;
}

/** Every refusal or failure answers this; `field` names the input at fault (a 400). */
export interface ErrorResponse {
  error: string;
  field?: string;
}

/** What the caller asked for, as a failure names it. */
export type PeerOperation = 'info' | 'table' | 'snapshot' | 'createReplica' | 'membership' | 'deleteReplica' | 'replicaSettings' | 'indexChange';

/**
 * What a caller makes of a peer's refusal or failure, the same for every transport: a 409 to a
 * replica creation means the peer has a regional table of that name (retrying cannot help);
 * anything else is a PeerRequestError with the status.
 */
export function peerFailure(peer: string, operation: PeerOperation, status: number, message: string): Error {
  if (operation === 'createReplica' && status === 409) return new ReplicaConflictError(message);
  return new PeerRequestError(`region ${peer} answered ${status} to ${operation}: ${message}`, status);
}
