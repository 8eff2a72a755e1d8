/** The other regions, reached only through their configured URLs (never by sharing a process). */
import type { IndexChangeRequest } from '../dynamo/indexes/indexSync.js';
import { adminHeaders } from '../config/adminToken.js';
import type { PeerConfig } from '../config/regionConfig.js';
import type { PeerTable } from '../dynamo/replicationControl.js';
import { PeerRequestError, type PeerInfo, type PeerTransport } from './peerTransport.js';
import {
  PEER_LONG_TIMEOUT_MS, PEER_PATHS, PEER_TIMEOUT_MS, peerFailure, snapshotPath, tablePath,
  type CreateReplicaRequest, type DeleteReplicaRequest, type InfoResponse, type MembershipRequest, type PeerOperation, type ReplicaSettingsRequest,
} from './peerWire.js';
import type { TableSnapshot } from './snapshot.js';

interface Call {
  operation: PeerOperation;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  timeoutMs?: number;
  /** A 404 means the peer has no such table: the call answers undefined. */
  absentOn404?: boolean;
}

/** A peer's admin API; a cluster shares one admin token, which every call carries. */
export class HttpPeerTransport implements PeerTransport {
  constructor(readonly config: PeerConfig, private readonly adminToken?: string, private readonly timeoutMs = PEER_TIMEOUT_MS) {}

  get name(): string {
    return this.config.name;
  }

  async info(): Promise<PeerInfo> {
    return (await this.call<InfoResponse>({ operation: 'info', method: 'GET', path: PEER_PATHS.info }))!;
  }

  /** The peer's nats-server as configured, or as the peer itself reports it. */
  async natsUrl(): Promise<string> {
    if (this.config.natsUrl) return this.config.natsUrl;
    const info = await this.info();
    if (!info.natsUrl) throw new PeerRequestError(`region ${this.name} publishes no change stream`);
    return info.natsUrl;
  }

  table(name: string): Promise<PeerTable | undefined> {
    return this.call<PeerTable>({ operation: 'table', method: 'GET', path: tablePath(name), absentOn404: true });
  }

  snapshot(table: string): Promise<TableSnapshot | undefined> {
    return this.call<TableSnapshot>({ operation: 'snapshot', method: 'GET', path: snapshotPath(table), timeoutMs: PEER_LONG_TIMEOUT_MS, absentOn404: true });
  }

  async createReplica(request: CreateReplicaRequest): Promise<void> {
    await this.call({ operation: 'createReplica', method: 'POST', path: PEER_PATHS.createReplica, body: request, timeoutMs: PEER_LONG_TIMEOUT_MS });
  }

  async membership(request: MembershipRequest): Promise<void> {
    await this.call({ operation: 'membership', method: 'POST', path: PEER_PATHS.membership, body: request });
  }

  async deleteReplica(table: string): Promise<void> {
    const request: DeleteReplicaRequest = { table };
    await this.call({ operation: 'deleteReplica', method: 'POST', path: PEER_PATHS.deleteReplica, body: request });
  }

  async replicaSettings(request: ReplicaSettingsRequest): Promise<void> {
    await this.call({ operation: 'replicaSettings', method: 'POST', path: PEER_PATHS.replicaSettings, body: request });
  }

  async indexChange(request: IndexChangeRequest): Promise<void> {
    await this.call({ operation: 'indexChange', method: 'POST', path: PEER_PATHS.indexChange, body: request });
  }

  private async call<T>({ operation, method, path, body, timeoutMs = this.timeoutMs, absentOn404 = false }: Call): Promise<T | undefined> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(new URL(path, this.config.endpoint), {
        method,
        headers: { ...adminHeaders(this.adminToken), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Inside the try: the time-out also covers a body that stops arriving.
      text = await response.text();
    } catch (error) {
      throw new PeerRequestError(`region ${this.name} (${this.config.endpoint}) is unreachable: ${(error as Error).message}`, undefined, { cause: error });
    }
    if (response.status === 404 && absentOn404) return undefined;
    if (!response.ok) throw peerFailure(this.name, operation, response.status, errorMessage(text));
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/** The message of a refusal ({"error": …}), or the text as it came (a proxy's page, a 500). */
function errorMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && typeof (parsed as { error?: unknown }).error === 'string') return (parsed as { error: string }).error;
  } catch {
    // Not JSON: the text itself says what happened.
  }
  return text;
}
