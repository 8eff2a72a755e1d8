/** Runs a region's background job every interval (of true time) until stopped; a failing run is reported, never fatal. */
import type { RegionContext } from '../dynamo/context.js';

export function runPeriodically(ctx: RegionContext, what: string, intervalMs: () => number, job: () => Promise<unknown>): () => void {
  let cancel: () => void = () => {};
  let stopped = false;
  const tick = async (): Promise<void> => {
    try {
      await job();
    } catch (error) {
      console.error(`[${ctx.region}] ${what} failed:`, error);
    }
    if (!stopped) cancel = ctx.clock.schedule(() => void tick(), intervalMs());
  };
  cancel = ctx.clock.schedule(() => void tick(), intervalMs());
  return () => {
    stopped = true;
    cancel();
  };
}
