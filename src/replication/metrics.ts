/** Replication metrics per source region: lag (commit at the origin → applied here, true time), pending, counters. */
import type { Heartbeat } from '../bus/heartbeat.js';

/** The most recent samples, so percentiles describe now rather than the whole run. */
export class LatencyWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private filled = 0;
  private maxEverMs = 0;
  /** Sorting thousands of samples for every status request would cost a busy region; a summary lives this long. */
  private cached: { atMs: number; added: number; value: ReturnType<LatencyWindow['compute']> } | undefined;
  /** Samples added ever: tells whether a cached summary is still exact. */
  private added = 0;

  /** `now`: true time from the region's clock, for how long a summary is kept. */
  constructor(private readonly now: () => number, size = 8192, private readonly cacheMs = 200) {
    this.samples = new Float64Array(size);
  }

  add(ms: number): void {
    this.added += 1;
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    this.filled = Math.min(this.filled + 1, this.samples.length);
    if (ms > this.maxEverMs) this.maxEverMs = ms;
  }

  summary(): { p50: number | null; p99: number | null; max: number | null; count: number } {
    const nowMs = this.now();
    const c = this.cached;
    if (c && c.added === this.added) return c.value;
    if (c && nowMs - c.atMs < this.cacheMs) return c.value;
    const value = this.compute();
    this.cached = { atMs: nowMs, added: this.added, value };
    return value;
  }

  private compute(): { p50: number | null; p99: number | null; max: number | null; count: number } {
    if (!this.filled) return { p50: null, p99: null, max: null, count: 0 };
    const sorted = Array.from(this.samples.subarray(0, this.filled)).sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return { p50: at(0.5), p99: at(0.99), max: this.maxEverMs, count: this.filled };
  }

  reset(): void {
    this.next = 0;
    this.filled = 0;
    this.maxEverMs = 0;
    this.cached = undefined;
  }
}

/** What a pair knows of its source from the source's heartbeat (bus/heartbeat.ts). */
export interface SourceStatus {
  committedLsn: number;
  publishedLsn: number;
  /** The source's publisher cannot publish this change (and so nothing after it). */
  stuck: { lsn: number; reason: string; sinceMs: number } | null;
  /** The source's own changes it has committed and not yet published, counted while it is stuck and until it catches up. */
  unpublished: number | null;
  /** True time (ms) this region last heard the heartbeat. */
  heardAtMs: number;
  /** The lsn of the source's last own change, as its heartbeat said (null: it did not say). */
  ownLsn: number | null;
}

export interface PairStatus {
  source: string;
  connected: boolean;
  /** The last lsn of the source's log applied here. */
  checkpoint: number;
  /**
   * Changes of the source this region has not applied yet: those its stream holds beyond the
   * checkpoint (as the stream last reported), plus, while the source reports itself stuck and
   * until it has caught up, its own changes it has not published.
   */
  pending: number;
  applied: number;
  skipped: number;
  ignored: number;
  conflicts: number;
  resyncs: number;
  /** Over recent changes, and `current`: how far behind the source this region is now (0 when nothing is pending). */
  lagMs: { p50: number | null; p99: number | null; max: number | null; current: number };
  /** Commit time at the source of the oldest change not applied here (an upper bound while the stream has a backlog), null when nothing is pending. */
  behindSinceMs: number | null;
  lastAppliedAtMs: number | null;
  /** Null until a heartbeat has been heard (a source that predates them never sends one). */
  sourceStatus: SourceStatus | null;
}

export class PairMetrics {
  connected = false;
  checkpoint = 0;
  /** Messages the source's stream holds beyond the checkpoint, as last reported with a batch (and those received, not yet applied). */
  streamPending = 0;
  /** The source's own changes applied here, as its messages count them (wire.ts, ReceivedMessage). */
  appliedOwnCount: number | undefined;
  /** The source's own changes its stream holds, as its heartbeat last said (undefined once they were all applied). */
  private sourceOwnCount: number | undefined;
  applied = 0;
  skipped = 0;
  ignored = 0;
  conflicts = 0;
  resyncs = 0;
  lastAppliedAtMs: number | null = null;
  /** Commit time at the source of the last change applied here. */
  lastAppliedCommitMs: number | null = null;
  sourceStatus: SourceStatus | null = null;
  private oldestUnpublishedCommitMs: number | null = null;
  /** When this region first saw the current stream backlog (used only before it has applied anything). */
  private backlogSeenAtMs: number | null = null;
  readonly lag: LatencyWindow;

  /** `now`: true time from the region's clock (virtual in the simulator). */
  constructor(readonly source: string, private readonly now: () => number) {
    this.lag = new LatencyWindow(now);
  }

  get pending(): number {
    return this.streamBacklog() + (this.sourceStatus?.unpublished ?? 0);
  }

  /**
   * The source's published changes not applied here. A message can hold many changes, so the
   * stream's count of messages is only a floor; the own counts of the last heartbeat and the last
   * message applied give the changes (as of that heartbeat, so also a floor). The larger floor.
   */
  streamBacklog(): number {
    const counted = this.sourceOwnCount !== undefined && this.appliedOwnCount !== undefined ? Math.max(0, this.sourceOwnCount - this.appliedOwnCount) : 0;
    return Math.max(this.streamPending, counted);
  }

  /** After a batch is applied: what is left in the stream (messages) and the own count reached, and the commit time of its last change. */
  applyProgress(progress: { messages: number; ownCount?: number }, lastCommitMs: number | undefined): void {
    this.streamPending = progress.messages;
    if (progress.ownCount !== undefined) this.appliedOwnCount = progress.ownCount;
    if (lastCommitMs !== undefined) this.lastAppliedCommitMs = lastCommitMs;
    this.backlogSeenAtMs = this.streamBacklog() > 0 ? this.backlogSeenAtMs ?? this.now() : null;
  }

  heard(heartbeat: Heartbeat): void {
    const { stuck } = heartbeat;
    this.sourceStatus = {
      committedLsn: heartbeat.committedLsn,
      publishedLsn: heartbeat.publishedLsn,
      stuck: stuck ? { lsn: stuck.lsn, reason: stuck.reason, sinceMs: stuck.sinceMs } : null,
      unpublished: heartbeat.unpublished?.count ?? null,
      heardAtMs: this.now(),
      ownLsn: heartbeat.ownLsn ?? null,
    };
    this.oldestUnpublishedCommitMs = heartbeat.unpublished?.oldestCommitTimeMs ?? null;
    // Applied up to the source's last own change: nothing is pending, whatever the last batch counted
    // (its count included changes the stream may have dropped since, which no batch will correct).
    const caughtUp = heartbeat.ownLsn !== undefined && heartbeat.ownLsn <= this.checkpoint;
    if (caughtUp) this.streamPending = 0;
    this.sourceOwnCount = caughtUp ? undefined : heartbeat.ownCount;
  }

  /**
   * Changes in the stream are older than any the source has not published; of those this region
   * knows only that they were committed after the last one it applied.
   */
  private behindSinceMs(): number | null {
    if (this.streamBacklog() > 0) return this.lastAppliedCommitMs ?? this.backlogSeenAtMs;
    return this.sourceStatus?.unpublished ? this.oldestUnpublishedCommitMs : null;
  }

  status(): PairStatus {
    const { p50, p99, max } = this.lag.summary();
    const behindSinceMs = this.behindSinceMs();
    return {
      source: this.source,
      connected: this.connected,
      checkpoint: this.checkpoint,
      pending: this.pending,
      applied: this.applied,
      skipped: this.skipped,
      ignored: this.ignored,
      conflicts: this.conflicts,
      resyncs: this.resyncs,
      lagMs: { p50, p99, max, current: behindSinceMs === null ? 0 : Math.max(0, this.now() - behindSinceMs) },
      behindSinceMs,
      lastAppliedAtMs: this.lastAppliedAtMs,
      sourceStatus: this.sourceStatus,
    };
  }
}
