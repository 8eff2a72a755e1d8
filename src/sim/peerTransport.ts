/**
 * The PeerTransport seam simulated: a request travels from one region to the other through the
 * simulated network, runs the target's own peer handlers (the code behind the admin routes), and
 * the answer travels back. A target that is down, or a message the network loses, means no answer:
 * the caller gives up after its time-out on the virtual clock, as an HTTP caller would. Requests and
 * answers are copied on the way, so two regions never share an object.
 */
import type { Clock } from '../clock/clock.js';
import type { PeerTable } from '../dynamo/replicationControl.js';
import { peerErrorStatus, type PeerHandlers } from '../replication/peerHandlers.js';
import { PeerRequestError, type PeerInfo, type PeerTransport } from '../replication/peerTransport.js';
import {
  PEER_LONG_TIMEOUT_MS, PEER_TIMEOUT_MS, peerFailure,
  type CreateReplicaRequest, type MembershipRequest, type PeerOperation,
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
  /** The target's handlers while it is up; undefined while it is down (a request then goes unanswered). */
  handlers: () => PeerHandlers | undefined;
  /** How long an ordinary call waits for its answer; snapshots and replica creation wait as long as over HTTP. */
  timeoutMs?: number;
}

/** What travels back: the handler's result, or its refusal as the status HTTP would answer. */
type Answer = { ok: true; value: unknown } | { ok: false; status: number; message: string };

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

  /**
   * One request and its answer. The network may deliver either twice: the handler then runs twice
   * (as a retried HTTP call would) and the caller takes the first answer.
   */
  private call<R, T>(operation: PeerOperation, request: R, timeoutMs: number, run: (handlers: PeerHandlers, sent: R) => Promise<T>): Promise<T> {
    const { from, to, net, clock, handlers } = this.options;
    const sent = structuredClone(request);
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const cancelTimeout = clock.schedule(() => {
        if (settled) return;
        settled = true;
        reject(new PeerRequestError(`region ${to} is unreachable: no answer to ${operation} within ${timeoutMs} ms`));
      }, timeoutMs);
      const receive = (answer: Answer): void => {
        if (settled) return;
        settled = true;
        cancelTimeout();
        if (answer.ok) resolve(answer.value as T);
        else reject(peerFailure(to, operation, answer.status, answer.message));
      };
      net.send(from, to, roughJsonBytes(sent), () => {
        const target = handlers();
        if (!target) return;
        // Through a promise even if the handler throws at once: its failure is an answer too.
        void Promise.resolve(structuredClone(sent)).then((copy) => run(target, copy)).then(
          (value): Answer => ({ ok: true, value: structuredClone(value) }),
          (error: unknown): Answer => ({ ok: false, status: peerErrorStatus(error) ?? INTERNAL_ERROR, message: (error as Error).message ?? String(error) }),
        ).then((answer) => net.send(to, from, roughJsonBytes(answer), () => receive(answer)));
      });
    });
  }
}

/** About as many bytes as the message takes as JSON over HTTP. */
function roughJsonBytes(value: unknown): number {
  return value === undefined ? 0 : JSON.stringify(value).length;
}
