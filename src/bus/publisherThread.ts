/**
 * The region's side of a publisher on its own thread (publisherWorker.ts): it tells that thread
 * what was committed and whether to yield, writes the position the publisher saves (only this
 * thread writes to the store), and keeps the publisher's last status for the heartbeat, metrics
 * and change log retention.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../workerBoot.js';
import type { Store } from '../storage/store.js';
import type { StoreEncryption } from '../storage/storeEncryption.js';
import type { Clock } from '../clock/clock.js';
import { publishedUpTo, type AckObserver, type ChangePublisher, type PublisherStatus } from './changePublisher.js';
import type { FromPublisherWorker, PublisherWorkerData, ToPublisherWorker } from './publisherThreadProtocol.js';

const MODULE = new URL('./publisherWorker.ts', import.meta.url);
/** How often the catch-up question is asked on the thread's behalf. */
const YIELD_CHECK_MS = 20;
/** A publisher stops within its publish timeout; past this its thread is ended regardless. */
const STOP_TIMEOUT_MS = 15_000;

export interface PublisherThreadOptions {
  region: string;
  store: Store;
  /** The region's clock, for how long drained() waits. */
  clock: Clock;
  natsUrl: string;
  /** Where the store's LMDB environment is, and how it was opened. */
  dataDir: string;
  durability: 'process' | 'fsync';
  encryption?: StoreEncryption;
  shouldYield?: () => boolean;
  log: (message: string) => void;
}

export class PublisherThread implements ChangePublisher {
  private worker: Worker | undefined;
  private latest: PublisherStatus;
  private readonly yieldFlag = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  private stops: (() => void)[] = [];
  private stopped: Promise<void> | undefined;
  private onStopped: (() => void) | undefined;
  private readonly observers = new Set<AckObserver>();
  /** The thread has started its publisher (it said its first status). */
  private running = false;

  constructor(private readonly options: PublisherThreadOptions) {
    this.latest = { publishedLsn: 0, committedLsn: options.store.lastLsn(), stuck: null };
  }

  get publishedLsn(): number {
    return this.latest.publishedLsn;
  }

  status(): PublisherStatus {
    return { ...this.latest, committedLsn: this.options.store.lastLsn() };
  }

  start(): void {
    const { store, shouldYield } = this.options;
    const data: PublisherWorkerData = {
      region: this.options.region, natsUrl: this.options.natsUrl, dataDir: this.options.dataDir, durability: this.options.durability,
      ...(this.options.encryption ? { encryption: this.options.encryption } : {}),
      committedLsn: store.lastLsn(), yieldFlag: this.yieldFlag,
    };
    const worker = startWorker(MODULE, { workerData: data });
    this.worker = worker;
    worker.on('message', (message: FromPublisherWorker) => this.receive(message));
    // What the publisher publishes is in the store: nothing is lost with the thread, but nothing
    // would be published after it either, so its failure ends the region as the publisher's would.
    worker.on('error', (error) => {
      throw error;
    });
    worker.on('exit', () => this.onStopped?.());
    if (this.observers.size) this.send({ type: 'observe' });
    this.stops.push(store.onCommit((lastLsn) => this.send({ type: 'commit', lsn: lastLsn })));
    if (shouldYield) {
      const timer = setInterval(() => Atomics.store(this.yieldFlag, 0, shouldYield() ? 1 : 0), YIELD_CHECK_MS);
      timer.unref();
      this.stops.push(() => clearInterval(timer));
    }
  }

  /** Observes every acknowledged batch (for benchmarks); returns an unsubscribe. */
  observe(observer: AckObserver): () => void {
    if (!this.observers.size) this.send({ type: 'observe' });
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** Resolves once everything committed up to now has been published. */
  drained(timeoutMs = 10_000): Promise<void> {
    return publishedUpTo(this.options.store.lastLsn(), () => this.latest.publishedLsn, this.options.clock, timeoutMs);
  }

  stop(): Promise<void> {
    this.stopped ??= this.stopWorker();
    return this.stopped;
  }

  private async stopWorker(): Promise<void> {
    for (const stop of this.stops) stop();
    const worker = this.worker;
    if (!worker) return;
    // Still starting (loading its modules, connecting): no position worth saving yet, and ending it
    // mid-publish is no worse than a crash, which the stream's ids and sequences make safe.
    if (!this.running) {
      await worker.terminate();
      return;
    }
    const ended = new Promise<void>((resolve) => { this.onStopped = resolve; });
    const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
    this.send({ type: 'stop' });
    await ended;
    clearTimeout(timer);
  }

  private receive(message: FromPublisherWorker): void {
    switch (message.type) {
      case 'status':
        this.running = true;
        this.latest = message.status;
        return;
      case 'log':
        return this.options.log(message.message);
      case 'acked':
        for (const observer of this.observers) observer(message.commitTimesMs, message.ackedAtMs);
        return;
      case 'save':
        this.options.store.write((txn) => { for (const [key, value] of message.entries) txn.putMeta(key, value); })
          .then(() => this.send({ type: 'saved', id: message.id }), (error: unknown) => this.send({ type: 'saved', id: message.id, error: (error as Error).message ?? String(error) }));
        return;
      case 'stopped':
        void this.worker?.terminate();
    }
  }

  private send(message: ToPublisherWorker): void {
    this.worker?.postMessage(message);
  }
}
