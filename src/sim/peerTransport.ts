/**
 * The PeerTransport seam simulated: a request travels from one region to the other through the
 * simulated network, runs the target's own peer handlers (the code behind the admin routes), and
 * the answer travels back. Like HTTP over TCP: what the network loses is sent again, a target whose
 * process is down refuses, a partition holds the call until it heals or the caller's time-out (on
 * the virtual clock) gives up. Requests and answers are copied on the way, so two regions never
 * share an object.
 */
import type { IndexChangeRequest } from '../dynamo/indexes/indexSync.js';
import { every, type Clock } from '../clock/clock.js';
import type { PeerTable } from '../dynamo/replicationControl.js';
import { peerErrorStatus, type PeerHandlers } from '../replication/peerHandlers.js';
import { PeerRequestError, type PeerInfo, type PeerTransport } from '../replication/peerTransport.js';
import {
  PEER_LONG_TIMEOUT_MS, PEER_TIMEOUT_MS, peerFailure,
  type CreateReplicaRequest, type MembershipRequest, type PeerOperation, type ReplicaSettingsRequest,
} from '../replication/peerWire.js';
import type { TableSnapshot } from '../replication/snapshot.js';
import type { SimNet } from './net.js';

export interface SimPeerTransportOptions {
  /** The calling region. */
  from: string;
  /** The region called. */
  to: string;
  net: SimNet;
  /** The caller's clock: its time-outs run on it. */
  clock: Clock;
  /** The target's handlers while it is up (one object per incarnation); undefined while it is down (a request is then refused). */
  handlers: () => PeerHandlers | undefined;
  /** How long an ordinary call waits for its answer; snapshots and replica creation wait as long as over HTTP. */
  timeoutMs?: number;
}

/** What travels back: the handler's result, or its refusal as the status HTTP would answer. */
type Answer = { ok: true; value: unknown } | { ok: false; status: number; message: string } | { ok: false; refused: true };

/** TCP's retransmission time-out, about: how soon what the network lost is sent again. */
const RETRANSMIT_MS = 1000;

/** A status for a handler's failure that is no refusal: the region's own failure, as HTTP answers it. */
const INTERNAL_ERROR = 500;

export class SimPeerTransport implements PeerTransport {
  readonly name: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: SimPeerTransportOptions) {
    this.name = options.to;
    this.timeoutMs = options.timeoutMs ?? PEER_TIMEOUT_MS;
  }

  info(): Promise<PeerInfo> {
    return this.call('info', undefined, this.timeoutMs, (h) => h.info());
  }

  table(name: string): Promise<PeerTable | undefined> {
    return this.call('table', name, this.timeoutMs, (h, sent) => h.table(sent));
  }

  snapshot(table: string): Promise<TableSnapshot | undefined> {
    return this.call('snapshot', table, PEER_LONG_TIMEOUT_MS, (h, sent) => h.snapshot(sent));
  }

  createReplica(request: CreateReplicaRequest): Promise<void> {
    return this.call('createReplica', request, PEER_LONG_TIMEOUT_MS, (h, sent) => h.createReplica(sent));
  }

  membership(request: MembershipRequest): Promise<void> {
    return this.call('membership', request, this.timeoutMs, (h, sent) => h.membership(sent));
  }

  deleteReplica(table: string): Promise<void> {
    return this.call('deleteReplica', { table }, this.timeoutMs, (h, sent) => h.deleteReplica(sent));
  }

  replicaSettings(request: ReplicaSettingsRequest): Promise<void> {
    return this.call('replicaSettings', request, this.timeoutMs, (h, sent) => h.replicaSettings(sent));
  }

  indexChange(request: IndexChangeRequest): Promise<void> {
    return this.call('indexChange', request, this.timeoutMs, (h, sent) => h.indexChange(sent));
  }

  /**
   * One request and its answer, over what HTTP runs on: a TCP connection, which retransmits what the
   * network loses (every RETRANSMIT_MS here, until it arrives) and fails at once when the process
   * at the other end is gone or restarts (a closed port, a reset). The handler runs once per call;
   * a link that holds messages (a partition) holds the call until it heals or the caller gives up.
   */
  private call<R, T>(operation: PeerOperation, request: R, timeoutMs: number, run: (handlers: PeerHandlers, sent: R) => Promise<T>): Promise<T> {
    const { from, to, net, clock, handlers } = this.options;
    const sent = structuredClone(request);
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let target: PeerHandlers | undefined;
      let answer: Answer | undefined;
      const finish = (): void => {
        settled = true;
        cancelTimeout();
        cancelRetransmit();
      };
      const cancelTimeout = clock.schedule(() => {
        if (settled) return;
        finish();
        reject(new PeerRequestError(`region ${to} is unreachable: no answer to ${operation} within ${timeoutMs} ms`));
      }, timeoutMs);
      const receive = (received: Answer): void => {
        if (settled) return;
        finish();
        if (received.ok) resolve(received.value as T);
        else if ('refused' in received) reject(new PeerRequestError(`region ${to} is unreachable: connection refused`));
        else reject(peerFailure(to, operation, received.status, received.message));
      };
      const reply = (value: Answer): void => net.send(to, from, roughJsonBytes(value), () => receive(value));
      const arrive = (): void => {
        if (target || settled) return;
        target = handlers();
        // Its host is up, its process is not: refused at once, as a connection to a closed port is.
        if (!target) return reply({ ok: false, refused: true });
        // Through a promise even if the handler throws at once: its failure is an answer too.
        void Promise.resolve(structuredClone(sent)).then((copy) => run(target!, copy)).then(
          (value): Answer => ({ ok: true, value: structuredClone(value) }),
          (error: unknown): Answer => ({ ok: false, status: peerErrorStatus(error) ?? INTERNAL_ERROR, message: (error as Error).message ?? String(error) }),
        ).then((value) => { answer = value; reply(value); });
      };
      const send = (): void => net.send(from, to, roughJsonBytes(sent), arrive);
      const cancelRetransmit = every(clock, RETRANSMIT_MS, () => {
        if (!target) return send();
        if (handlers() !== target) return reply({ ok: false, refused: true });
        if (answer) reply(answer);
      });
      send();
    });
  }
}

/** About as many bytes as the message takes as JSON over HTTP. */
function roughJsonBytes(value: unknown): number {
  return value === undefined ? 0 : JSON.stringify(value).length;
}
