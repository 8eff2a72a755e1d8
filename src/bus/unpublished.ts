/**
 * The region's own changes committed but not yet in its stream, counted while the publisher is
 * stuck and until it has caught up again. Peers replicate only a region's own changes (never what
 * it received from others), so these are what they are missing beyond the stream. The log is read
 * once, a chunk per call, and only in that time: a healthy region counts nothing.
 */
import type { Store } from '../storage/store.js';

/** Changes read from the log per call, so that a long stuck spell never costs much at once. */
const SCAN_CHUNK = 10_000;

export interface UnpublishedOwnChanges {
  count: number;
  /** True time (ms) the oldest of them was committed. */
  oldestCommitTimeMs: number | null;
}

/** A run of consecutive lsns that are all the region's own. */
interface Run {
  first: number;
  last: number;
  /** Commit time of `first`, read again when the front of the run is published. */
  firstCommitMs: number | undefined;
}

export class UnpublishedCounter {
  private runs: Run[] = [];
  private scannedLsn = 0;
  private active = false;

  constructor(private readonly region: string, private readonly store: Store, private readonly scanChunk = SCAN_CHUNK) {}

  /** Brings the count up to date with the publisher; undefined while there is nothing to count. */
  update(publishedLsn: number, stuck: boolean): UnpublishedOwnChanges | undefined {
    if (!this.active) {
      if (!stuck) return undefined;
      this.active = true;
      this.runs = [];
      this.scannedLsn = publishedLsn;
    }
    this.forget(publishedLsn);
    this.scan();
    if (!stuck && publishedLsn >= this.scannedLsn) {
      this.active = false;
      this.runs = [];
      return undefined;
    }
    return { count: this.runs.reduce((sum, run) => sum + run.last - run.first + 1, 0), oldestCommitTimeMs: this.oldestCommitTimeMs() };
  }

  /** Drops what the stream now holds. */
  private forget(publishedLsn: number): void {
    while (this.runs.length && this.runs[0].last <= publishedLsn) this.runs.shift();
    const front = this.runs[0];
    if (front && front.first <= publishedLsn) {
      front.first = publishedLsn + 1;
      front.firstCommitMs = undefined;
    }
    this.scannedLsn = Math.max(this.scannedLsn, publishedLsn);
  }

  private scan(): void {
    const changes = this.store.lastLsn() > this.scannedLsn ? this.store.changesAfter(this.scannedLsn, this.scanChunk) : [];
    for (const change of changes) {
      if (change.origin !== this.region) continue;
      const tail = this.runs[this.runs.length - 1];
      if (tail && tail.last === change.lsn - 1) tail.last = change.lsn;
      else this.runs.push({ first: change.lsn, last: change.lsn, firstCommitMs: change.commitTimeMs });
    }
    if (changes.length) this.scannedLsn = changes[changes.length - 1].lsn;
  }

  private oldestCommitTimeMs(): number | null {
    const front = this.runs[0];
    if (!front) return null;
    front.firstCommitMs ??= this.store.changesAfter(front.first - 1, 1)[0]?.commitTimeMs;
    return front.firstCommitMs ?? null;
  }
}
