/**
 * One replicator per (source → this region): follows the source's own changes after its position
 * in the source's stream through a ChangeSource (real: an ordered JetStream consumer on a worker
 * thread, natsChangeSource.ts; simulated: src/sim/changeSource.ts); here each batch is merged and
 * the checkpoint and position advanced in one store transaction, so a crash resumes exactly where
 * it stopped.
 *
 * Two numbers say how far: the checkpoint, the last lsn of the source's log applied here (what
 * everything else compares: convergence, tombstone stability, replica removal), and the position,
 * the stream sequence of the last message taken (where the next session starts). Every change
 * after the checkpoint is in a message after the position; a change at or below the checkpoint
 * that comes again (after a resync, or republished) is passed over.
 */
import { delay, every } from '../clock/clock.js';
import type { RegionContext } from '../dynamo/context.js';
import type { StoreTxn } from '../storage/store.js';
import { applyChanges, type ApplyTally } from './apply.js';
import type { ChangeSession, ChangeSource, ChangeSourceOptions, ReceivedBatch } from './changeSource.js';
import type { ConflictLog } from './conflicts.js';
import type { PairMetrics } from './metrics.js';

/** How a replicator's ChangeSource receives: changes per batch, and batches sent ahead of the one being applied. */
export const RECEIVE_LIMITS: Pick<ChangeSourceOptions, 'batchMax' | 'batchesInFlight'> = { batchMax: 1000, batchesInFlight: 4 };
/** Batches handed to the store at once: the next is ready when the store commits (often in the same transaction). */
const BATCHES_APPLYING = 2;

/** A session ended with an error (the connection failing is no error: the session just ends). */
export class ChangeSessionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChangeSessionError';
  }
}

export class CheckpointGapError extends Error {
  constructor(source: string, expected: number, found: number) {
    super(`replication from ${source}: a batch expected position ${expected} and found ${found}; resuming from the position`);
    this.name = 'CheckpointGapError';
  }
}

/** How often a replicator checks that it is not waiting for changes its source's stream no longer holds. */
const STALL_CHECK_MS = 5_000;
const STALLED_CHECKS = 2;

export const checkpointKey = (source: string): string => `replicator.checkpoint.${source}`;
const positionKey = (source: string): string => `replicator.position.${source}`;

/** Where a replicator is in its source's stream. */
export interface StreamPosition {
  /** Stream sequence of the last message taken. */
  seq: number;
  /** The source's own changes up to it, as its messages count them (absent before schema version 3). */
  ownCount?: number;
}

/** The position kept with the checkpoint; before groups there was none, and the checkpoint was the sequence. */
export function readPosition(txn: StoreTxn, source: string): StreamPosition {
  return txn.getMeta<StreamPosition>(positionKey(source)) ?? { seq: txn.getMeta<number>(checkpointKey(source)) ?? 0 };
}

/** Stores how far a replicator got, in the transaction that got it there. */
export function writeProgress(txn: StoreTxn, source: string, checkpoint: number, position: StreamPosition): void {
  txn.putMeta(checkpointKey(source), checkpoint);
  txn.putMeta(positionKey(source), position);
}

/** How far this region has applied the source's changes (an lsn of the source's log; 0: nothing yet). */
export function readCheckpoint(ctx: RegionContext, source: string): number {
  return ctx.store.read((txn) => txn.getMeta<number>(checkpointKey(source))) ?? 0;
}

export function readCheckpoints(ctx: RegionContext, sources: string[]): Record<string, number> {
  return Object.fromEntries(sources.map((source) => [source, readCheckpoint(ctx, source)]));
}

export interface ReplicatorOptions {
  ctx: RegionContext;
  source: string;
  /** The source's stream; the replicator stops it when it stops. */
  changeSource: ChangeSource;
  conflicts: ConflictLog;
  metrics: PairMetrics;
  /**
   * Rebuilds every table shared with the source from its snapshot, then stores the lsn it reflects
   * as the checkpoint with `position` (the stream sequence to resume after).
   */
  resync(position: number): Promise<void>;
  onApplied?: (tally: ApplyTally) => void;
  onError?: (error: unknown) => void;
  retryDelayMs?: number;
}

export class Replicator {
  private stopped = false;
  private running: Promise<void> | undefined;
  private session: ChangeSession | undefined;
  private stop$: () => void = () => {};
  private stopWatch: () => void = () => {};
  private stalledChecks = 0;
  private checkpointAtLastCheck = -1;
  private readonly stopping = new Promise<undefined>((resolve) => { this.stop$ = () => resolve(undefined); });

  constructor(private readonly options: ReplicatorOptions) {}

  get checkpoint(): number {
    return readCheckpoint(this.options.ctx, this.options.source);
  }

  start(): void {
    this.options.metrics.checkpoint = this.checkpoint;
    this.options.metrics.appliedOwnCount = this.options.ctx.store.read((txn) => readPosition(txn, this.options.source)).ownCount;
    this.running = this.loop();
    this.stopWatch = every(this.options.ctx.clock, STALL_CHECK_MS, () => this.watchForStall());
  }

  /**
   * A live consumer whose stream was trimmed under it moves on silently, as JetStream's does: it
   * may wait for changes that are gone while the source says it has them (its heartbeat's ownLsn,
   * published). Two checks without progress end the session; the next one sees the stream's bounds
   * and resyncs from a snapshot if changes it never applied are gone.
   */
  private watchForStall(): void {
    const status = this.options.metrics.sourceStatus;
    const checkpoint = this.options.metrics.checkpoint;
    const waiting = status?.ownLsn != null && status.publishedLsn >= status.ownLsn && checkpoint < status.ownLsn;
    this.stalledChecks = waiting && checkpoint === this.checkpointAtLastCheck ? this.stalledChecks + 1 : 0;
    this.checkpointAtLastCheck = checkpoint;
    if (this.stalledChecks < STALLED_CHECKS) return;
    this.stalledChecks = 0;
    this.session?.close();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopWatch();
    this.stop$();
    this.session?.close();
    await this.running;
    await this.options.changeSource.stop();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.follow();
      } catch (error) {
        if (this.stopped) break;
        this.options.onError?.(error);
      } finally {
        this.options.metrics.connected = false;
        this.session?.close();
        this.session = undefined;
      }
      if (!this.stopped) await Promise.race([delay(this.options.ctx.clock, this.options.retryDelayMs ?? 500), this.stopping]);
    }
  }

  /** One connection's life: catch up from the position, then follow the stream until something fails. */
  private async follow(): Promise<void> {
    const { metrics } = this.options;
    const session = this.options.changeSource.open();
    this.session = session;
    const opened = await session.next();
    if (opened.type === 'ended') return failed(opened.error);
    if (opened.type !== 'opened' || this.stopped) return;
    metrics.connected = true;
    let position = this.options.ctx.store.read((txn) => readPosition(txn, this.options.source)).seq;
    // The source trimmed changes this region never applied: rebuild from a snapshot, never skip
    // silently. Every change the snapshot lacks is in a message the stream still holds.
    if (opened.firstSeq > position + 1 && opened.lastSeq > position) {
      metrics.resyncs += 1;
      position = opened.firstSeq - 1;
      await this.options.resync(position);
    }
    metrics.checkpoint = this.checkpoint;
    session.consume(position + 1);
    // The next batch is handed to the store before the one before has committed, so the store has
    // it ready for its next commit. Each batch applies only on top of the one before.
    const applying: Promise<void>[] = [];
    let previous = position;
    let failure: { error: unknown } | undefined;
    try {
      for (;;) {
        const event = await session.next();
        if (event.type === 'ended') return failed(event.error);
        if (event.type !== 'batch') continue;
        const applied = this.applyBatch(event.batch, previous, session.queued).then(() => session.credit());
        // A failed batch ends the session at once, also while the loop waits for the next event.
        applied.catch((error: unknown) => {
          failure ??= { error };
          session.close();
        });
        applying.push(applied);
        previous = event.batch.lastSeq;
        while (applying.length >= BATCHES_APPLYING) await applying.shift();
      }
    } finally {
      // The next session starts from the position these leave.
      await Promise.allSettled(applying);
      if (failure) throw failure.error;
    }
  }

  private async applyBatch(batch: ReceivedBatch, previous: number, queued: number): Promise<void> {
    const { ctx, source, conflicts, metrics } = this.options;
    let checkpoint = 0;
    const tally = await ctx.store.write((txn) => {
      // The batch before did not commit: applying this one would skip its changes.
      const position = readPosition(txn, source);
      if (position.seq !== previous) throw new CheckpointGapError(source, previous, position.seq);
      checkpoint = txn.getMeta<number>(checkpointKey(source)) ?? 0;
      const after = checkpoint;
      const fresh = batch.changes[0]?.lsn > after ? batch.changes : batch.changes.filter((change) => change.lsn > after);
      const result = applyChanges(ctx, txn, conflicts, fresh);
      if (fresh.length) checkpoint = fresh[fresh.length - 1].lsn;
      writeProgress(txn, source, checkpoint, { seq: batch.lastSeq, ...(batch.ownCount === undefined ? {} : { ownCount: batch.ownCount }) });
      return result;
    });
    const appliedAtMs = ctx.clock.trueNowMs();
    for (const committedAtMs of tally.committedAtMs) metrics.lag.add(Math.max(0, appliedAtMs - committedAtMs));
    metrics.checkpoint = checkpoint;
    metrics.applyProgress({ messages: batch.pending + queued, ...(batch.ownCount === undefined ? {} : { ownCount: batch.ownCount }) }, tally.committedAtMs.at(-1));
    metrics.applied += tally.applied;
    metrics.skipped += tally.skipped;
    metrics.ignored += tally.ignored;
    metrics.conflicts += tally.conflicts.length;
    metrics.lastAppliedAtMs = appliedAtMs;
    this.options.onApplied?.(tally);
  }
}

/** A session that ended with an error fails; one whose connection was lost just ends. */
function failed(error: string | undefined): void {
  if (error !== undefined) throw new ChangeSessionError(error);
}
