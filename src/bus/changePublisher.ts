/**
 * A publisher as its region sees it: the in-process Publisher (publisher.ts) or one on a thread of
 * its own (publisherThread.ts), with the status the heartbeat, metrics and retention read.
 */
import { delay, type Clock } from '../clock/clock.js';
import type { PublisherStuck } from './publishStuck.js';

export interface PublisherStatus {
  /** Last lsn the stream is known to hold. */
  publishedLsn: number;
  /** How many of the region's own changes the stream holds (as its messages count them: wire.ts, ReceivedMessage). */
  ownCount?: number;
  /** Last lsn committed to the region's change log. */
  committedLsn: number;
  stuck: PublisherStuck | null;
  /** The lsn of the last change of the region's own clients the stream is known to hold (absent until known). */
  ownLsn?: number;
}

/** Told the commit times of the changes the stream has just acknowledged, and when. */
export type AckObserver = (commitTimesMs: number[], ackedAtMs: number) => void;

/** A publisher as its region sees it, on the region's thread (Publisher) or on one of its own (publisherThread.ts). */
export interface ChangePublisher {
  /** Last lsn the stream is known to hold. */
  readonly publishedLsn: number;
  status(): PublisherStatus;
  /** Resolves once everything committed up to now has been published. */
  drained(timeoutMs?: number): Promise<void>;
  start(): void;
  stop(): Promise<void>;
  /** Observes every acknowledged batch (for benchmarks); returns an unsubscribe. */
  observe(observer: AckObserver): () => void;
}

/** What drained() waits for, on either kind: the published lsn reaching `target`, looked at every 10 ms. */
export async function publishedUpTo(target: number, publishedLsn: () => number, clock: Clock, timeoutMs: number): Promise<void> {
  const deadline = clock.trueNowMs() + timeoutMs;
  while (publishedLsn() < target) {
    if (clock.trueNowMs() > deadline) throw new Error(`publisher did not drain to ${target} within ${timeoutMs} ms (at ${publishedLsn()})`);
    await delay(clock, 10);
  }
}
