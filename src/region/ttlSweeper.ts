/** Deletes expired items as the service would, marking each delete as the service's own. */
import type { RegionContext } from '../dynamo/context.js';
import { sweepExpiredItems } from '../dynamo/ttl.js';
import { SweepCursors } from '../storage/chunkedScan.js';
import { runPeriodically } from './periodic.js';

export function startTtlSweeper(ctx: RegionContext): () => void {
  const cursors = new SweepCursors(ctx.clock);
  return runPeriodically(ctx, 'TTL sweep', () => ctx.settings.ttlSweepIntervalMs, () => sweepExpiredItems(ctx, cursors));
}
