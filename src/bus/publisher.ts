/**
 * The outbox drain: publishes the change log to the region's stream in lsn order, many messages in
 * flight (new ones go out while older ones wait for their acks). Stream sequence equals lsn (each
 * publish expects its predecessor), so after any failure the stream itself says where to resume:
 * nothing is lost, duplicated or reordered.
 *
 * A change the bus will not take (larger than its max_payload) stops everything behind it. That
 * is reported as stuck, with its lsn (publishStuck.ts), and tried again slowly, one change at a
 * time, so raising the server's limit is all it takes to resume.
 */
import { delay, type Clock } from '../clock/clock.js';
import type { ChangeRecord, Store } from '../storage/store.js';
import type { ChangeBus } from './changeBus.js';
import { messageId, subjectFor } from './wire.js';
import { encodeChange } from './wireEncode.js';
import { PayloadTooLargeError, PUBLISH_HEADER_ALLOWANCE_BYTES } from './wireLimits.js';
import { StuckChange, type PublisherStuck, type StuckListener } from './publishStuck.js';

export type { PublisherStuck } from './publishStuck.js';

const CURSOR_KEY = 'publisher.cursor';
const OWN_KEY = 'publisher.ownLsn';
/** The saved cursor only spares asking the stream where to resume: once a second is plenty, and it costs a transaction. */
const CURSOR_SAVE_INTERVAL_MS = 1000;
/** With nothing to publish, how often to look at the log even without a commit notice. */
const IDLE_RECHECK_MS = 100;
/** While stuck, the wait between attempts doubles up to this. */
const STUCK_RETRY_MAX_MS = 5000;

export interface PublisherStatus {
  /** Last lsn the stream is known to hold. */
  publishedLsn: number;
  /** Last lsn committed to the region's change log. */
  committedLsn: number;
  stuck: PublisherStuck | null;
  /** The lsn of the last change of the region's own clients the stream is known to hold (absent until known). */
  ownLsn?: number;
}

export interface PublisherOptions {
  region: string;
  store: Store;
  bus: ChangeBus;
  clock: Clock;
  maxInFlight?: number;
  /**
   * True while something more urgent shares this process (a replicator catching up on a backlog):
   * the publisher then waits, at most maxYieldMs in a row, since what it publishes waits in order
   * anyway and applying the backlog first lets this region converge sooner.
   */
  shouldYield?: () => boolean;
  maxYieldMs?: number;
  retryDelayMs?: number;
  /** While stuck, the longest wait between attempts (default 5 s). */
  stuckRetryMaxMs?: number;
  onError?: (error: unknown) => void;
  /** Called when a change gets stuck (with it) and when it is published at last (with undefined). */
  onStuck?: StuckListener;
}

interface InFlight {
  change: ChangeRecord;
  done: boolean;
  error?: { error: unknown };
  /** Resolves (never rejects) once the publish is acknowledged or has failed. */
  settled: Promise<void>;
}

export class Publisher {
  private cursor = 0;
  /** Noted as changes are acknowledged, so no one reads the change log again to know it. */
  private ownLsn: number | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private cursorSaved: Promise<unknown> = Promise.resolve();
  private cursorSavedAtMs = Number.NEGATIVE_INFINITY;
  private running: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly observers = new Set<(batch: ChangeRecord[], ackedAtMs: number) => void>();
  private readonly stuckChange: StuckChange;
  private cancelSleep: (() => void) | undefined;

  constructor(private readonly options: PublisherOptions) {
    this.stuckChange = new StuckChange(options.retryDelayMs ?? 250, options.stuckRetryMaxMs ?? STUCK_RETRY_MAX_MS, options.onStuck);
  }

  /** Observes every acknowledged batch (for lag metrics and benchmarks); returns an unsubscribe. */
  observe(observer: (batch: ChangeRecord[], ackedAtMs: number) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** Last lsn the stream is known to hold. */
  get publishedLsn(): number {
    return this.cursor;
  }

  get stuck(): PublisherStuck | undefined {
    return this.stuckChange.current;
  }

  status(): PublisherStatus {
    return {
      publishedLsn: this.cursor, committedLsn: this.options.store.lastLsn(), stuck: this.stuck ?? null,
      ...(this.ownLsn === undefined ? {} : { ownLsn: this.ownLsn }),
    };
  }

  start(): void {
    this.unsubscribe = this.options.store.onCommit(() => this.wake?.());
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.wake?.();
    this.cancelSleep?.();
    await this.running;
  }

  /** Resolves once everything committed up to now has been published. */
  async drained(timeoutMs = 10_000): Promise<void> {
    const target = this.options.store.lastLsn();
    const deadline = this.options.clock.trueNowMs() + timeoutMs;
    while (this.cursor < target) {
      if (this.options.clock.trueNowMs() > deadline) throw new Error(`publisher did not drain to ${target} within ${timeoutMs} ms (at ${this.cursor})`);
      await delay(this.options.clock, 10);
    }
  }

  private async loop(): Promise<void> {
    const { store, bus } = this.options;
    const maxInFlight = this.options.maxInFlight ?? 512;
    this.cursor = store.read((txn) => txn.getMeta<number>(CURSOR_KEY)) ?? 0;
    this.ownLsn = store.read((txn) => txn.getMeta<number>(OWN_KEY));
    let synced = false;
    // Published and not yet acknowledged, oldest first. New changes go out while older ones wait
    // for their acks: a change committed just after a publish does not wait a round trip for it.
    let inFlight: InFlight[] = [];
    let sent = 0;
    while (!this.stopped) {
      try {
        if (!synced) {
          await bus.ensureStream();
          // The stream may hold more than the saved cursor says (acks lost in a crash): trust it.
          this.cursor = Math.max(this.cursor, await bus.lastSequence());
          sent = this.cursor;
          synced = true;
        }
        await this.yieldIfAsked();
        // While stuck, one change at a time: the stuck one is tried alone until it goes through.
        const limit = this.stuck ? 1 : maxInFlight;
        // Most turns of this loop are an ack arriving with nothing new committed: no log read then.
        const batch = inFlight.length < limit && store.lastLsn() > sent ? store.changesAfter(sent, limit - inFlight.length) : [];
        for (const change of batch) inFlight.push(this.publish(change));
        if (batch.length) sent = batch[batch.length - 1].lsn;
        if (!inFlight.length) {
          await this.nextCommit(IDLE_RECHECK_MS);
          continue;
        }
        // The oldest ack, or a commit to publish meanwhile if there is room for it.
        await (inFlight.length < maxInFlight ? Promise.race([inFlight[0].settled, this.nextCommit()]) : inFlight[0].settled);
        inFlight = this.acknowledge(inFlight);
      } catch (error) {
        // Once one publish fails the later ones fail too (each expects its predecessor).
        await Promise.all(inFlight.map((entry) => entry.settled));
        inFlight = [];
        if (this.stopped) break;
        synced = false;
        await this.sleep(error instanceof PayloadTooLargeError ? this.stuckChange.refused(error, this.options.clock.trueNowMs()) : this.failed(error));
      }
    }
    await Promise.all(inFlight.map((entry) => entry.settled));
    try {
      this.acknowledge(inFlight);
    } catch {
      // The stream says where to resume next time.
    }
    this.saveCursor(this.cursor, this.options.clock.trueNowMs());
    await this.cursorSaved;
  }

  private publish(change: ChangeRecord): InFlight {
    const { bus, region } = this.options;
    const payload = this.stuckChange.payloadOf(change.lsn) ?? encodeChange(region, change);
    // Checked here rather than left to the client, whose refusal is an error like many others.
    const maxBytes = bus.maxMessageBytes();
    const tooLarge = maxBytes !== undefined && payload.length + PUBLISH_HEADER_ALLOWANCE_BYTES > maxBytes;
    if (tooLarge) this.stuckChange.keepPayload(change.lsn, payload);
    const ack = tooLarge
      ? Promise.reject(new PayloadTooLargeError(change.lsn, payload.length, maxBytes))
      : bus.publish(subjectFor(region, change), change.lsn, messageId(region, change.lsn), payload);
    const entry: InFlight = { change, done: false, settled: Promise.resolve() };
    entry.settled = ack.then(() => { entry.done = true; }, (error: unknown) => { entry.done = true; entry.error = { error }; });
    return entry;
  }

  /** A failure retrying can heal (the bus down, a lost ack): tried again soon. */
  private failed(error: unknown): number {
    this.options.onError?.(error);
    return this.options.retryDelayMs ?? 250;
  }

  /** Advances the cursor over the acknowledged front of `inFlight`; returns what is still waiting. Throws the first failure. */
  private acknowledge(inFlight: InFlight[]): InFlight[] {
    let acked = 0;
    while (acked < inFlight.length && inFlight[acked].done) {
      const failure = inFlight[acked].error;
      if (failure) throw failure.error;
      this.cursor = inFlight[acked].change.lsn;
      if (inFlight[acked].change.origin === this.options.region) this.ownLsn = this.cursor;
      acked += 1;
    }
    if (!acked) return inFlight;
    this.stuckChange.published(this.cursor);
    const ackedAtMs = this.options.clock.trueNowMs();
    if (this.observers.size) {
      const changes = inFlight.slice(0, acked).map((entry) => entry.change);
      for (const observer of this.observers) observer(changes, ackedAtMs);
    }
    // Not awaited: the stream itself says where to resume; the saved cursor only saves asking it.
    if (ackedAtMs - this.cursorSavedAtMs >= CURSOR_SAVE_INTERVAL_MS) this.saveCursor(this.cursor, ackedAtMs);
    return inFlight.slice(acked);
  }

  private saveCursor(published: number, nowMs: number): void {
    this.cursorSavedAtMs = nowMs;
    const ownLsn = this.ownLsn;
    this.cursorSaved = this.cursorSaved.then(() => this.options.store.write((txn) => {
      txn.putMeta(CURSOR_KEY, published);
      if (ownLsn !== undefined) txn.putMeta(OWN_KEY, ownLsn);
    })).catch(() => undefined);
  }

  private async yieldIfAsked(): Promise<void> {
    const { shouldYield, maxYieldMs = 5000 } = this.options;
    if (!shouldYield) return;
    const startedMs = this.options.clock.trueNowMs();
    while (!this.stopped && shouldYield() && this.options.clock.trueNowMs() - startedMs < maxYieldMs) await this.sleep(20);
  }

  /**
   * Resolves at the next commit, or after `fallbackMs` when given: a commit may have happened
   * between the read and the wait, and with nothing in flight no ack would come to look again.
   */
  private nextCommit(fallbackMs?: number): Promise<void> {
    return new Promise((resolve) => {
      // Cancelled once woken, so a fallback left over from an earlier wait never cuts a later one short.
      const cancelFallback = fallbackMs === undefined ? undefined : this.options.clock.schedule(() => this.wake?.(), fallbackMs);
      this.wake = () => { this.wake = undefined; cancelFallback?.(); resolve(); };
    });
  }

  /** A wait on the region's clock that stop() cuts short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const cancelTimer = this.options.clock.schedule(() => { this.cancelSleep = undefined; resolve(); }, ms);
      this.cancelSleep = () => { cancelTimer(); this.cancelSleep = undefined; resolve(); };
    });
  }
}
