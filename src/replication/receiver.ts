/**
 * The main thread's handle on a replicator's receiving worker (receiverWorker.ts). The worker
 * lives as long as its replicator; each connection to the source is one session, and events of a
 * session that has been left behind are dropped.
 */
import { Worker } from 'node:worker_threads';
import { NameSafePackr } from '../storage/nameSafePackr.js';
import type { Heartbeat } from '../bus/heartbeat.js';
import { decodeBatch, type IncomingChange, type WireIncoming } from './incoming.js';
import { APPLIED, newCredits, WAITING, type FromReceiver, type ToReceiver } from './receiverProtocol.js';

export interface ReceivedBatch {
  changes: IncomingChange[];
  /** Stream sequence of the batch's last change: the checkpoint once it is applied. */
  lastSeq: number;
  /** Changes the source holds beyond this batch (at the server and on the way). */
  pending: number;
}

export class ReceiverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReceiverError';
  }
}

type SessionEvent = Exclude<FromReceiver, { type: 'batch' | 'heartbeat' }> | { type: 'batch'; batch: ReceivedBatch };

/** tsx loads the worker's TypeScript, as it does the region's (there is no build step). */
const BOOT = new URL('./receiverWorker.boot.mjs', import.meta.url);

export class ReceiverSession {
  private readonly events: SessionEvent[] = [];
  private waiter: (() => void) | undefined;
  /** Changes received but not yet taken by the replicator. */
  queued = 0;

  constructor(readonly id: number, private readonly send: (message: ToReceiver) => void, readonly credits: Int32Array = newCredits()) {}

  push(event: SessionEvent): void {
    if (event.type === 'batch') this.queued += event.batch.changes.length;
    this.events.push(event);
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  async next(): Promise<SessionEvent> {
    while (!this.events.length) await new Promise<void>((resolve) => { this.waiter = resolve; });
    const event = this.events.shift()!;
    if (event.type === 'batch') this.queued -= event.batch.changes.length;
    return event;
  }

  consume(startSeq: number): void {
    this.send({ type: 'consume', session: this.id, startSeq });
  }

  /** One batch has been applied: room for another. */
  credit(): void {
    Atomics.add(this.credits, APPLIED, 1);
    if (Atomics.compareExchange(this.credits, WAITING, 1, 0) === 1) this.send({ type: 'credit', session: this.id });
  }

  close(): void {
    this.send({ type: 'close', session: this.id });
    this.push({ type: 'ended', session: this.id });
  }
}

export class Receiver {
  private worker: Worker | undefined;
  private session: ReceiverSession | undefined;
  private sessions = 0;

  constructor(private readonly options: {
    source: string;
    batchMax: number;
    batchesInFlight: number;
    /** The source's heartbeats, as they come (not queued behind batches). */
    onHeartbeat?: (heartbeat: Heartbeat) => void;
  }) {}

  open(natsUrl: string): ReceiverSession {
    this.session?.close();
    const worker = this.worker ?? this.spawn();
    const session = new ReceiverSession(++this.sessions, (message) => worker.postMessage(message));
    this.session = session;
    worker.postMessage({
      type: 'open', session: session.id, natsUrl, source: this.options.source, batchMax: this.options.batchMax, batchesInFlight: this.options.batchesInFlight, credits: session.credits,
    } satisfies ToReceiver);
    return session;
  }

  private spawn(): Worker {
    const worker = new Worker(BOOT);
    // Only the replicator keeps the process alive, not its worker.
    worker.unref();
    worker.on('message', (message: FromReceiver) => {
      const session = this.session;
      if (!session || message.session !== session.id) return;
      if (message.type === 'heartbeat') return this.options.onHeartbeat?.(message.heartbeat);
      if (message.type !== 'batch') return session.push(message);
      const changes = decodeBatch(new NameSafePackr().unpack(message.data) as WireIncoming[], message.records);
      session.push({ type: 'batch', batch: { changes, lastSeq: message.lastSeq, pending: message.pending } });
    });
    const lost = (error: string): void => {
      if (this.worker === worker) this.worker = undefined;
      this.session?.push({ type: 'ended', session: this.session.id, error });
    };
    worker.on('error', (error) => lost(`receiver failed: ${error.message}`));
    worker.on('exit', (code) => lost(`receiver exited with code ${code}`));
    this.worker = worker;
    return worker;
  }

  async stop(): Promise<void> {
    this.session?.close();
    this.session = undefined;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}
