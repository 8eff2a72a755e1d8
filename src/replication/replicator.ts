/**
 * One replicator per (source → this region): follows the source's own changes from checkpoint + 1
 * through a ChangeSource (real: an ordered JetStream consumer on a worker thread,
 * natsChangeSource.ts; simulated: src/sim/changeSource.ts); here each batch is merged and the
 * checkpoint advanced in one store transaction, so a crash resumes exactly where it stopped.
 */
import { delay, every } from '../clock/clock.js';
import type { RegionContext } from '../dynamo/context.js';
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
    super(`replication from ${source}: a batch expected checkpoint ${expected} and found ${found}; resuming from the checkpoint`);
    this.name = 'CheckpointGapError';
  }
}

/** How often a replicator checks that it is not waiting for changes its source's stream no longer holds. */
const STALL_CHECK_MS = 5_000;
const STALLED_CHECKS = 2;

export const checkpointKey = (source: string): string => `replicator.checkpoint.${source}`;

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
  /** Rebuilds every table shared with the source from its snapshot; returns the source sequence it reflects. */
  resync(): Promise<number>;
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

  /** One connection's life: catch up from the checkpoint, then follow the stream until something fails. */
  private async follow(): Promise<void> {
    const { metrics } = this.options;
    const session = this.options.changeSource.open();
    this.session = session;
    const opened = await session.next();
    if (opened.type === 'ended') return failed(opened.error);
    if (opened.type !== 'opened' || this.stopped) return;
    metrics.connected = true;
    let checkpoint = this.checkpoint;
    // The source trimmed changes this region never applied: rebuild from a snapshot, never skip silently.
    if (opened.firstSeq > checkpoint + 1 && opened.lastSeq > checkpoint) {
      metrics.resyncs += 1;
      checkpoint = await this.options.resync();
    }
    metrics.checkpoint = checkpoint;
    session.consume(checkpoint + 1);
    // The next batch is handed to the store before the one before has committed, so the store has
    // it ready for its next commit. Each batch applies only on top of the one before.
    const applying: Promise<void>[] = [];
    let previous = checkpoint;
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
      // The next session starts from the checkpoint these leave.
      await Promise.allSettled(applying);
      if (failure) throw failure.error;
    }
  }

  private async applyBatch(batch: ReceivedBatch, previous: number, queued: number): Promise<void> {
    const { ctx, source, conflicts, metrics } = this.options;
    const tally = await ctx.store.write((txn) => {
      // The batch before did not commit: applying this one would skip its changes.
      const checkpoint = txn.getMeta<number>(checkpointKey(source)) ?? 0;
      if (checkpoint !== previous) throw new CheckpointGapError(source, previous, checkpoint);
      const result = applyChanges(ctx, txn, conflicts, batch.changes);
      txn.putMeta(checkpointKey(source), batch.lastSeq);
      return result;
    });
    const appliedAtMs = ctx.clock.trueNowMs();
    for (const committedAtMs of tally.committedAtMs) metrics.lag.add(Math.max(0, appliedAtMs - committedAtMs));
    metrics.checkpoint = batch.lastSeq;
    metrics.applyProgress(batch.pending + queued, tally.committedAtMs.at(-1));
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
