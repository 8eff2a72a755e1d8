/**
 * Trims the change log to its retention period (24 h by default, like DynamoDB Streams), but never
 * past what the change stream has published: an unpublished change is never dropped.
 */
import type { RegionContext } from '../dynamo/context.js';
import { runPeriodically } from './periodic.js';

const SCAN_CHUNK = 1000;

/** The highest lsn committed before cutoffMs, or 0. */
function lastLsnBefore(ctx: RegionContext, cutoffMs: number): number {
  let last = 0;
  for (;;) {
    const chunk = ctx.store.changesAfter(last, SCAN_CHUNK);
    const older = chunk.filter((change) => change.commitTimeMs < cutoffMs);
    if (!older.length) return last;
    last = older[older.length - 1].lsn;
    if (older.length < chunk.length || chunk.length < SCAN_CHUNK) return last;
  }
}

export async function trimChangeLog(ctx: RegionContext, publishedLsn: () => number): Promise<number> {
  const expired = lastLsnBefore(ctx, ctx.clock.trueNowMs() - ctx.settings.changeRetentionMs);
  const upto = Math.min(expired, publishedLsn());
  if (upto > 0) await ctx.store.trimChanges(upto);
  return upto;
}

export function startChangeLogRetention(ctx: RegionContext, publishedLsn: () => number): () => void {
  return runPeriodically(ctx, 'change log retention', () => ctx.settings.retentionSweepIntervalMs, () => trimChangeLog(ctx, publishedLsn));
}
