/**
 * Drained: nothing of any running region is still on its way to another. Every change a region's
 * own clients made is published, and every running peer's replicator has applied it (checkpoint at
 * the source's last own change, nothing pending). Only then does comparing digests say the replicas
 * converged, rather than that they happen to agree while changes are still in flight.
 */
import type { PairStatus } from '../../replication/metrics.js';
import { observe, type RunContext } from '../context.js';
import type { ScenarioRegionHandle } from '../targets.js';

interface RegionProgress {
  changeLog: { publishedLsn: number | null; lastOwnLsn: number };
  replication: PairStatus[];
}

/** What still keeps the running regions from being drained, one phrase each; empty when drained. */
export async function undrained(ctx: RunContext): Promise<string[]> {
  const behind = await behindOf(ctx.targets.running());
  observe(ctx, `undrained: ${behind.join('; ') || 'none'}`);
  return behind;
}

/** The same for any regions reached through their admin API (the running ones: a region that is down says nothing). */
export async function behindOf(regions: readonly Pick<ScenarioRegionHandle, 'name' | 'admin'>[]): Promise<string[]> {
  const progress = new Map<string, RegionProgress>();
  for (const region of regions) progress.set(region.name, await region.admin<RegionProgress>('/admin/metrics'));
  const behind: string[] = [];
  for (const [source, { changeLog }] of progress) {
    if (changeLog.publishedLsn !== null && changeLog.publishedLsn < changeLog.lastOwnLsn) {
      behind.push(`${source} has published up to lsn ${changeLog.publishedLsn} of ${changeLog.lastOwnLsn}`);
    }
  }
  for (const [target, { replication }] of progress) {
    for (const pair of replication) {
      // A source that is down says nothing of how far it got: its changes are compared once it is back.
      const source = progress.get(pair.source);
      if (!source) continue;
      const lastOwn = source.changeLog.lastOwnLsn;
      if (pair.checkpoint < lastOwn || pair.pending > 0) behind.push(`${pair.source} → ${target} at ${pair.checkpoint} of ${lastOwn}${pair.pending ? `, ${pair.pending} pending` : ''}`);
    }
  }
  return behind;
}
