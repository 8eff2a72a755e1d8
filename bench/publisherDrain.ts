/**
 * Waits for a region's change stream to catch up with its commits, through the admin API. A write
 * rate means little for a region that acknowledged writes it had not yet published: the backlog
 * left when the load stopped and the time to publish it say how far behind it was.
 */
import type { PublisherStatus } from '../src/bus/changePublisher.js';

export interface PublisherDrain {
  /** Changes committed but not yet acknowledged by JetStream at the first look after the load. */
  backlogAtEnd: number;
  /** How long after the load's measured window that first look came (the load generator's exit and in-flight requests). */
  lookedAfterLoadMs: number;
  /** From that first look until the stream held every change committed by then. */
  drainedInMs: number;
}

const POLL_INTERVAL_MS = 10;

/**
 * GET /admin/status rather than /admin/metrics: both carry the same `publisher` field, but the
 * metrics route also reads the change log since its last call, work a poll loop need not add to
 * the region it is waiting on. A read, so no admin token is needed.
 */
async function publisherStatus(endpoint: string): Promise<PublisherStatus> {
  const response = await fetch(`${endpoint}/admin/status`);
  if (!response.ok) throw new Error(`GET ${endpoint}/admin/status answered ${response.status}`);
  const { publisher } = await response.json() as { publisher: PublisherStatus | null };
  if (!publisher) throw new Error(`${endpoint} has no change stream to wait for`);
  return publisher;
}

/** `loadEndedAtMs`: wall-clock end of the load's measured window (the load generator reports it). */
export async function waitForPublisherDrain(endpoint: string, loadEndedAtMs: number, timeoutMs = 60_000): Promise<PublisherDrain> {
  const first = await publisherStatus(endpoint);
  const lookedAt = Date.now();
  // Nothing writes while we wait, so what was committed at the first look is all there is to publish.
  const target = first.committedLsn;
  let status = first;
  while (status.publishedLsn < target) {
    if (status.stuck) throw new Error(`publisher stuck at lsn ${status.stuck.lsn}`);
    if (Date.now() - lookedAt > timeoutMs) throw new Error(`publisher did not drain to lsn ${target} within ${timeoutMs} ms (at ${status.publishedLsn})`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    status = await publisherStatus(endpoint);
  }
  return { backlogAtEnd: target - first.publishedLsn, lookedAfterLoadMs: lookedAt - loadEndedAtMs, drainedInMs: Date.now() - lookedAt };
}
