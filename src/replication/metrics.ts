/** Replication metrics per source region: lag (commit at the origin → applied here, true time), pending, counters. */

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

  constructor(size = 8192, private readonly cacheMs = 200, private readonly now: () => number = Date.now) {
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

export interface PairStatus {
  source: string;
  connected: boolean;
  /** Last stream sequence of the source applied here. */
  checkpoint: number;
  /** Changes the source holds that this region has not applied yet (as last reported by the source). */
  pending: number;
  applied: number;
  skipped: number;
  ignored: number;
  conflicts: number;
  resyncs: number;
  lagMs: { p50: number | null; p99: number | null; max: number | null };
  lastAppliedAtMs: number | null;
}

export class PairMetrics {
  connected = false;
  checkpoint = 0;
  pending = 0;
  applied = 0;
  skipped = 0;
  ignored = 0;
  conflicts = 0;
  resyncs = 0;
  lastAppliedAtMs: number | null = null;
  readonly lag = new LatencyWindow();

  constructor(readonly source: string) {}

  status(): PairStatus {
    const { p50, p99, max } = this.lag.summary();
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
      lagMs: { p50, p99, max },
      lastAppliedAtMs: this.lastAppliedAtMs,
    };
  }
}
