/**
 * The receiving side of the simulated ChangeSource, as receiverWorker.ts behaves: one connection
 * to the source's server (streamServer.ts), every message both ways through the simulated
 * network. It connects (or ends after a connect timeout), pings (a connection that stops
 * answering is stale and ends the session), and follows an ordered consumer: deliveries are
 * checked against their delivery sequence — a duplicate is dropped, a gap (a lost message) or two
 * idle heartbeats missed recreate the consumer from the last stream sequence taken, as nats.js's
 * ordered consumer does. Messages that arrive together become one batch, decoded by the worker's
 * own path, and at most batchesInFlight batches are handed over before credit.
 */
import { every, type Clock } from '../clock/clock.js';
import { parseHeartbeat } from '../bus/heartbeat.js';
import type { ChangeSession, ChangeSourceOptions, SessionEvent } from '../replication/changeSource.js';
import type { IncomingChange } from '../replication/incoming.js';
import { batchCount, receive, type Received as ReceivedMessage } from '../replication/receiverProtocol.js';
import { SessionQueue } from '../replication/sessionQueue.js';
import type { SimNet } from './net.js';
import { IDLE_HEARTBEAT_MS, type ClientLink, type Delivery, type StreamConnection, type StreamServer } from './streamServer.js';

/** The worker's nats connection: connect timeout, ping interval, pings unanswered before it is stale. */
export const CONNECT_TIMEOUT_MS = 2000;
export const PING_INTERVAL_MS = 1000;
const MAX_PINGS_OUT = 2;
/** Idle heartbeats missed before an ordered consumer is recreated (nats.js: 2). */
const HEARTBEATS_MISSED = 2;
/** Bytes on the network for a control message, and on top of a payload (subject, headers). */
export const CONTROL_BYTES = 64;
export const MESSAGE_OVERHEAD_BYTES = 160;

export interface SessionEnds {
  source: string;
  target: string;
  net: SimNet;
  clock: Clock;
  server: StreamServer;
  options: ChangeSourceOptions;
  decode: (messages: readonly ReceivedMessage[]) => IncomingChange[];
}

interface Received {
  consumer: number;
  deliverySeq: number;
  streamSeq: number;
  pending: number;
  message: ReceivedMessage;
}

export class SimChangeSession implements ChangeSession {
  private readonly events = new SessionQueue();
  private connection: StreamConnection | undefined;
  private connected = false;
  private closed = false;
  private cancelConnectTimeout: (() => void) | undefined;
  private readonly timers = new Set<() => void>();
  private pingsOut = 0;
  /** The current consumer, the delivery it expects next, and where a new one would start. */
  private consumer = 0;
  private expectedDelivery = 1;
  private resumeSeq = 0;
  private heardFromConsumer = false;
  private missedHeartbeats = 0;
  private readonly received: Received[] = [];
  /** The changes of what has been received and not handed over. */
  private receivedChanges = 0;
  private flushQueued = false;
  /** Where consume() started, until the first delivery is known not to have skipped a trimmed change. */
  private unconfirmedStart: number | undefined;
  private sent = 0;
  private applied = 0;

  constructor(private readonly ends: SessionEnds) {}

  get queued(): number {
    return this.events.queued;
  }

  next(): Promise<SessionEvent> {
    return this.events.next();
  }

  /** Asks the source's server for a connection and its stream's bounds. */
  connect(): void {
    this.cancelConnectTimeout = this.after(CONNECT_TIMEOUT_MS, () => this.end('connection timed out'));
    this.toSource(() => {
      const connection = this.ends.server.connect(this.link());
      if (!connection) return this.toTarget(CONTROL_BYTES, () => this.end('connection refused'));
      // Kept at once, so closing the session closes the server's side even if the answer is lost.
      this.connection = connection;
      if (this.closed) return connection.close();
      const { firstSeq, lastSeq } = connection.bounds();
      this.toTarget(CONTROL_BYTES, () => this.opened(firstSeq, lastSeq));
    });
  }

  consume(startSeq: number): void {
    if (!this.connected || this.closed || this.consumer) return;
    this.resumeSeq = startSeq;
    this.unconfirmedStart = startSeq;
    this.every(IDLE_HEARTBEAT_MS, () => this.watchConsumer());
    this.recreateConsumer();
  }

  credit(): void {
    this.applied += 1;
    this.flush();
  }

  close(): void {
    this.end();
  }

  private opened(firstSeq: number, lastSeq: number): void {
    if (this.closed || this.connected) return;
    this.connected = true;
    this.cancelConnectTimeout?.();
    this.events.push({ type: 'opened', firstSeq, lastSeq });
    this.every(PING_INTERVAL_MS, () => {
      // Unanswered pings: the connection is stale (a partition, a crashed host), like a lost one.
      if (this.pingsOut >= MAX_PINGS_OUT) return this.end();
      this.pingsOut += 1;
      this.toSource(() => this.connection?.ping());
    });
  }

  /** What the server sends this session: each message through the network, from the source. */
  private link(): ClientLink {
    return {
      deliver: (consumer, delivery) => this.toTarget(delivery.message.payload.length + MESSAGE_OVERHEAD_BYTES, () => this.delivered(consumer, delivery)),
      idle: (consumer, lastDeliverySeq) => this.toTarget(CONTROL_BYTES, () => this.idle(consumer, lastDeliverySeq)),
      heartbeat: (payload) => this.toTarget(payload.length + MESSAGE_OVERHEAD_BYTES, () => this.heartbeat(payload)),
      pong: () => this.toTarget(CONTROL_BYTES, () => { this.pingsOut = 0; }),
      dropped: () => this.toTarget(CONTROL_BYTES, () => this.end()),
    };
  }

  private delivered(consumer: number, { deliverySeq, message, pending }: Delivery): void {
    if (this.closed || consumer !== this.consumer) return;
    this.heardFromConsumer = true;
    if (deliverySeq < this.expectedDelivery) return;
    if (deliverySeq > this.expectedDelivery) return this.recreateConsumer();
    this.expectedDelivery += 1;
    this.resumeSeq = message.seq + 1;
    let decoded: ReceivedMessage;
    try {
      decoded = receive(message.payload);
    } catch (error) {
      return this.end((error as Error).message ?? String(error));
    }
    this.received.push({ consumer, deliverySeq, streamSeq: message.seq, pending, message: decoded });
    this.receivedChanges += decoded.changes.length;
    if (this.unconfirmedStart !== undefined) {
      if (message.seq <= this.unconfirmedStart) this.unconfirmedStart = undefined;
      else {
        // Held until the check (asked once, on the first delivery) answers.
        if (this.received.length === 1) this.confirmStart();
        return;
      }
    }
    if (this.receivedChanges >= this.ends.options.batchMax) this.flush();
    else if (!this.flushQueued) {
      // What arrives at the same moment makes one batch, as one network read does for the worker.
      this.flushQueued = true;
      this.after(0, () => { this.flushQueued = false; this.flush(); });
    }
  }

  /**
   * The first delivery skipped sequences after where the consumer started: the changes there were
   * another origin's (filtered out) or trimmed since the session saw the stream's bounds, which a
   * consumer passes over without a word. The stream's first sequence now tells which; trimmed ends
   * the session, and the next one's look at the bounds resyncs. Nothing is handed on meanwhile.
   */
  private confirmStart(): void {
    const startSeq = this.unconfirmedStart!;
    this.toSource(() => {
      const bounds = this.connection?.bounds();
      if (!bounds) return;
      this.toTarget(CONTROL_BYTES, () => {
        if (bounds.firstSeq > startSeq) return this.end(`the source's stream no longer holds ${startSeq} (trimmed after the session opened)`);
        this.unconfirmedStart = undefined;
        this.flush();
      });
    });
  }

  private idle(consumer: number, lastDeliverySeq: number): void {
    if (this.closed || consumer !== this.consumer) return;
    this.heardFromConsumer = true;
    // The last deliveries were lost: nothing else would show the gap.
    if (lastDeliverySeq >= this.expectedDelivery) return this.recreateConsumer();
    // The server may be waiting for an acknowledgement that was lost.
    this.acknowledge();
  }

  private heartbeat(payload: Uint8Array): void {
    if (this.closed) return;
    const heartbeat = parseHeartbeat(payload);
    if (heartbeat) this.ends.options.onHeartbeat?.(heartbeat);
  }

  private watchConsumer(): void {
    if (this.heardFromConsumer) this.missedHeartbeats = 0;
    else if (++this.missedHeartbeats >= HEARTBEATS_MISSED) this.recreateConsumer();
    this.heardFromConsumer = false;
  }

  /** A new consumer from the last stream sequence taken; what the old one still sends is ignored. */
  private recreateConsumer(): void {
    this.consumer += 1;
    this.expectedDelivery = 1;
    this.missedHeartbeats = 0;
    const consumer = this.consumer;
    const startSeq = this.resumeSeq;
    this.toSource(() => this.connection?.consume(consumer, startSeq));
  }

  /** Hands what has been received to the replicator, in batches, as long as it has room. */
  private flush(): void {
    if (this.unconfirmedStart !== undefined) return;
    const { batchMax, batchesInFlight } = this.ends.options;
    let handed = false;
    while (this.received.length && !this.closed && this.sent - this.applied < batchesInFlight) {
      const count = batchCount(this.received.map((r) => r.message), batchMax);
      const batch = this.received.splice(0, count);
      for (const r of batch) this.receivedChanges -= r.message.changes.length;
      const changes = this.ends.decode(batch.map((r) => r.message));
      const last = batch[batch.length - 1];
      this.sent += 1;
      handed = true;
      // As the worker counts: the newest delivery's count of what the server holds, and what came after the batch.
      const newest = this.received.at(-1) ?? last;
      const { ownCount } = last.message;
      this.events.push({ type: 'batch', batch: { changes, lastSeq: last.streamSeq, pending: newest.pending + this.received.length, ...(ownCount === undefined ? {} : { ownCount }) } });
    }
    if (handed) this.acknowledge();
  }

  /** Tells the current consumer how far this session has handed its deliveries on. */
  private acknowledge(): void {
    const taken = this.received.length ? this.received[0].deliverySeq - 1 : this.expectedDelivery - 1;
    const fromCurrent = !this.received.length || this.received[0].consumer === this.consumer;
    if (!fromCurrent || taken <= 0) return;
    const consumer = this.consumer;
    this.toSource(() => this.connection?.acknowledge(consumer, taken));
  }

  /** Ends the session once: a lost connection ends it without an error. */
  private end(error?: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    this.connection?.close();
    this.events.push(error === undefined ? { type: 'ended' } : { type: 'ended', error });
  }

  /**
   * Requests ride the connection's own link (source → target), as they do through a region's link
   * proxy in front of its peer's nats-server: cutting that link cuts the connection both ways, and
   * a cut of the other direction (the target's own changes to the source) leaves it alone.
   */
  private toSource(deliver: () => void): void {
    this.ends.net.send(this.ends.source, this.ends.target, CONTROL_BYTES, () => { if (this.connection?.alive !== false) deliver(); });
  }

  private toTarget(bytes: number, deliver: () => void): void {
    this.ends.net.send(this.ends.source, this.ends.target, bytes, deliver);
  }

  private after(delayMs: number, fn: () => void): () => void {
    const cancel = this.ends.clock.schedule(() => { this.timers.delete(timer); fn(); }, delayMs);
    const timer = (): void => { this.timers.delete(timer); cancel(); };
    this.timers.add(timer);
    return timer;
  }

  private every(intervalMs: number, fn: () => void): void {
    this.timers.add(every(this.ends.clock, intervalMs, fn));
  }
}
