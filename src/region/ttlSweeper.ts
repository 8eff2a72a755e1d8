/** Deletes expired items as the service would, marking each delete as the service's own. */
import type { RegionContext } from '../dynamo/context.js';
import { sweepExpiredItems } from '../dynamo/ttl.js';

export function startTtlSweeper(ctx: RegionContext): () => void {
  let cancel: () => void = () => {};
  let stopped = false;
  const tick = async (): Promise<void> => {
    try {
      await sweepExpiredItems(ctx);
    } catch (error) {
      console.error(`[${ctx.region}] TTL sweep failed:`, error);
    }
    if (!stopped) cancel = ctx.clock.schedule(() => void tick(), ctx.settings.ttlSweepIntervalMs);
  };
  cancel = ctx.clock.schedule(() => void tick(), ctx.settings.ttlSweepIntervalMs);
  return () => {
    stopped = true;
    cancel();
  };
}
