/**
 * The outbox drain: publishes the change log to the region's stream in lsn order, one message per
 * group of consecutive changes of one origin and table (changeGroups.ts), many messages in flight
 * (new ones go out while older ones wait for their acks). Each publish expects its predecessor's
 * stream sequence, and the last message the stream holds names its last lsn, so after any failure
 * the stream itself says where to resume: nothing is lost, duplicated or reordered.
 *
 * A change the bus will not take (larger than its max_payload) stops everything behind it. That
 * is reported as stuck, with its lsn (publishStuck.ts), and tried again slowly, one change at a
 * time, so raising the server's limit is all it takes to resume.
 */
import type { Clock } from '../clock/clock.js';
import type { Store } from '../storage/store.js';
import { UnexpectedSequenceError, type ChangeBus } from './changeBus.js';
import { messageId, subjectFor } from './wire.js';
import { POSITION_KEY, savedPosition, streamPosition, type PublishedPosition } from './publishedPosition.js';
import { encodeGroup } from './wireEncode.js';
import { firstLsn, formGroups, lastLsn, type ChangeGroup } from './changeGroups.js';
import { PayloadTooLargeError, PUBLISH_HEADER_ALLOWANCE_BYTES } from './wireLimits.js';
import { StuckChange, type PublisherStuck, type StuckListener } from './publishStuck.js';
import { publishedUpTo, type AckObserver, type ChangePublisher, type PublisherStatus } from './changePublisher.js';

export type { PublisherStuck } from './publishStuck.js';

const OWN_KEY = 'publisher.ownLsn';
/**
 * A group's bounds. A catch-up reads a group as one message, so larger is cheaper for both sides,
 * up to where one group delays the first change of the next: a thousand changes or 1 MiB.
 */
const GROUP_MAX_CHANGES = 1000;
const GROUP_MAX_BYTES = 1024 * 1024;
/** Changes read from the log at once to form groups. */
const READ_CHANGES = 4096;
/** Room for a group's envelope (schema version, names, own count, array header) beside its entries. */
const GROUP_HEADER_BYTES = 512;
/** The saved cursor only spares asking the stream where to resume: once a second is plenty, and it costs a transaction. */
const CURSOR_SAVE_INTERVAL_MS = 1000;
/** With nothing to publish, how often to look at the log even without a commit notice. */
const IDLE_RECHECK_MS = 100;
/** While stuck, the wait between attempts doubles up to this. */
const STUCK_RETRY_MAX_MS = 5000;

/** What a publisher reads and writes of its region's store: the change log and its own meta entries. */
export type PublisherStore = Pick<Store, 'read' | 'write' | 'changesAfter' | 'lastLsn' | 'onCommit'>;

export interface PublisherOptions {
  region: string;
  store: PublisherStore;
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
  /** Called after acknowledgements moved the published position. */
  onProgress?: () => void;
}

interface InFlight {
  group: ChangeGroup;
  seq: number;
  done: boolean;
  error?: { error: unknown };
  /** Resolves (never rejects) once the publish is acknowledged or has failed. */
  settled: Promise<void>;
}

export class Publisher implements ChangePublisher {
  private cursor = 0;
  private streamSeq = 0;
  private ownCount = 0;
  /** Noted as changes are acknowledged, so no one reads the change log again to know it. */
  private ownLsn: number | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private cursorSaved: Promise<unknown> = Promise.resolve();
  private cursorSavedAtMs = Number.NEGATIVE_INFINITY;
  private running: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly observers = new Set<AckObserver>();
  private readonly stuckChange: StuckChange;
  private cancelSleep: (() => void) | undefined;

  constructor(private readonly options: PublisherOptions) {
    this.stuckChange = new StuckChange(options.retryDelayMs ?? 250, options.stuckRetryMaxMs ?? STUCK_RETRY_MAX_MS, options.onStuck);
  }

  /** Observes every acknowledged batch (for benchmarks); returns an unsubscribe. */
  observe(observer: AckObserver): () => void {
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
      publishedLsn: this.cursor, ownCount: this.ownCount, committedLsn: this.options.store.lastLsn(), stuck: this.stuck ?? null,
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
  drained(timeoutMs = 10_000): Promise<void> {
    return publishedUpTo(this.options.store.lastLsn(), () => this.cursor, this.options.clock, timeoutMs);
  }

  private async loop(): Promise<void> {
    const { store } = this.options;
    const maxInFlight = this.options.maxInFlight ?? 64;
    const saved = savedPosition(store);
    this.cursor = saved.lsn;
    this.ownLsn = store.read((txn) => txn.getMeta<number>(OWN_KEY));
    let synced = false;
    // Published and not yet acknowledged, oldest first. New groups go out while older ones wait
    // for their acks: a change committed just after a publish does not wait a round trip for it.
    let inFlight: InFlight[] = [];
    // The last lsn, sequence and own count handed to the bus.
    let sent = { lsn: 0, seq: 0, ownCount: 0 };
    while (!this.stopped) {
      try {
        if (!synced) {
          const position = await streamPosition(this.options.bus, saved);
          this.cursor = position.lsn;
          this.streamSeq = position.seq;
          this.ownCount = position.ownCount;
          sent = { ...position };
          synced = true;
        }
        await this.yieldIfAsked();
        // While stuck, one change at a time: the stuck one is tried alone until it goes through.
        const room = (this.stuck ? 1 : maxInFlight) - inFlight.length;
        // Most turns of this loop are an ack arriving with nothing new committed: no log read then.
        if (room > 0 && store.lastLsn() > sent.lsn) {
          const changes = store.changesAfter(sent.lsn, this.stuck ? 1 : READ_CHANGES);
          const busBytes = this.options.bus.maxMessageBytes();
          for (const group of formGroups(this.options.region, changes, sent.ownCount, this.groupLimits(room, busBytes))) {
            sent = { lsn: lastLsn(group), seq: sent.seq + 1, ownCount: group.ownCount };
            inFlight.push(this.publish(group, sent.seq, busBytes));
          }
        }
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
    this.savePosition(this.options.clock.trueNowMs());
    await this.cursorSaved;
  }

  /** Bounds that fit the bus as well as the group bound: only a change too large alone is refused. */
  private groupLimits(room: number, busBytes: number | undefined): { maxGroups: number; maxChanges: number; maxBytes: number } {
    const maxBytes = busBytes === undefined ? GROUP_MAX_BYTES : Math.min(GROUP_MAX_BYTES, busBytes - PUBLISH_HEADER_ALLOWANCE_BYTES - GROUP_HEADER_BYTES);
    return { maxGroups: room, maxChanges: this.stuck ? 1 : GROUP_MAX_CHANGES, maxBytes };
  }

  /** `maxBytes`: what the bus accepts now, checked here rather than left to the client, whose refusal is an error like many others. */
  private publish(group: ChangeGroup, seq: number, maxBytes: number | undefined): InFlight {
    const { bus, region } = this.options;
    const first = firstLsn(group);
    const payload = this.stuckChange.payloadOf(first) ?? encodeGroup({ region, origin: group.origin, table: group.table, ownCount: group.ownCount }, group.entries);
    const tooLarge = maxBytes !== undefined && payload.length + PUBLISH_HEADER_ALLOWANCE_BYTES > maxBytes;
    if (tooLarge) this.stuckChange.keepPayload(first, payload);
    const ack = tooLarge
      ? Promise.reject(new PayloadTooLargeError(first, payload.length, maxBytes))
      : bus.publish(subjectFor(region, group), seq, messageId(region, first, lastLsn(group)), payload).then((result) => {
        // A duplicate of an earlier group with the same id stands where that group went in.
        if (result.seq !== seq) throw new UnexpectedSequenceError(seq, result.seq);
      });
    const entry: InFlight = { group, seq, done: false, settled: Promise.resolve() };
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
      const { error: failure, group, seq } = inFlight[acked];
      if (failure) throw failure.error;
      this.cursor = lastLsn(group);
      this.streamSeq = seq;
      this.ownCount = group.ownCount;
      if (group.origin === this.options.region) this.ownLsn = this.cursor;
      acked += 1;
    }
    if (!acked) return inFlight;
    this.stuckChange.published(this.cursor);
    const ackedAtMs = this.options.clock.trueNowMs();
    if (this.observers.size) {
      const commitTimesMs = inFlight.slice(0, acked).flatMap((entry) => entry.group.changes.map((change) => change.commitTimeMs));
      for (const observer of this.observers) observer(commitTimesMs, ackedAtMs);
    }
    this.options.onProgress?.();
    // Not awaited: the stream itself says where to resume; the saved position only saves asking it.
    if (ackedAtMs - this.cursorSavedAtMs >= CURSOR_SAVE_INTERVAL_MS) this.savePosition(ackedAtMs);
    return inFlight.slice(acked);
  }

  private savePosition(nowMs: number): void {
    this.cursorSavedAtMs = nowMs;
    const position: PublishedPosition = { lsn: this.cursor, seq: this.streamSeq, ownCount: this.ownCount };
    const ownLsn = this.ownLsn;
    this.cursorSaved = this.cursorSaved.then(() => this.options.store.write((txn) => {
      txn.putMeta(POSITION_KEY, position);
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
