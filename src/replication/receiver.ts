/**
 * The main thread's handle on a replicator's receiving worker (receiverWorker.ts). The worker
 * lives as long as its replicator; each connection to the source is one session, and events of a
 * session that has been left behind are dropped.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../workerBoot.js';
import type { ChangeSession, ChangeSourceOptions, SessionEvent } from './changeSource.js';
import { APPLIED, newCredits, unpackBatch, WAITING, type FromReceiver, type ToReceiver } from './receiverProtocol.js';
import { SessionQueue } from './sessionQueue.js';

/** tsx loads the worker's TypeScript, as it does the region's (there is no build step). */
const MODULE = new URL('./receiverWorker.ts', import.meta.url);

export class ReceiverSession implements ChangeSession {
  private readonly events = new SessionQueue();

  constructor(readonly id: number, private readonly send: (message: ToReceiver) => void, readonly credits: Int32Array = newCredits()) {}

  /** Changes received but not yet taken by the replicator. */
  get queued(): number {
    return this.events.queued;
  }

  push(event: SessionEvent): void {
    this.events.push(event);
  }

  next(): Promise<SessionEvent> {
    return this.events.next();
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
    this.push({ type: 'ended' });
  }
}

export class Receiver {
  private worker: Worker | undefined;
  private session: ReceiverSession | undefined;
  private sessions = 0;

  constructor(private readonly options: ChangeSourceOptions) {}

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
    const worker = startWorker(MODULE);
    // Only the replicator keeps the process alive, not its worker.
    worker.unref();
    worker.on('message', (message: FromReceiver) => {
      const session = this.session;
      if (!session || message.session !== session.id) return;
      switch (message.type) {
        case 'heartbeat':
          return this.options.onHeartbeat?.(message.heartbeat);
        case 'opened':
          return session.push({ type: 'opened', firstSeq: message.firstSeq, lastSeq: message.lastSeq });
        case 'ended':
          return session.push(message.error === undefined ? { type: 'ended' } : { type: 'ended', error: message.error });
        case 'batch':
          return session.push({ type: 'batch', batch: { changes: unpackBatch(message), lastSeq: message.lastSeq, pending: message.pending, ...(message.ownCount === undefined ? {} : { ownCount: message.ownCount }) } });
      }
    });
    const lost = (error: string): void => {
      if (this.worker === worker) this.worker = undefined;
      this.session?.push({ type: 'ended', error });
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
