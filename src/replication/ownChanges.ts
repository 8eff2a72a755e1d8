/**
 * The lsn of the last change this region's own clients made (not one it applied from a peer): where
 * a peer's replicator, which follows only the region's own changes, has caught up with it. Found by
 * reading the change log forward from where the last call stopped, so each call reads only what was
 * committed since.
 */
import type { RegionContext } from '../dynamo/context.js';

const CHUNK = 1000;
const scanned = new WeakMap<RegionContext, { upToLsn: number; lastOwnLsn: number }>();

export function lastOwnLsn(ctx: RegionContext): number {
  const state = scanned.get(ctx) ?? { upToLsn: 0, lastOwnLsn: 0 };
  const lastLsn = ctx.store.lastLsn();
  while (state.upToLsn < lastLsn) {
    const changes = ctx.store.changesAfter(state.upToLsn, CHUNK);
    // Trimmed past the end of what is left: nothing more to read.
    if (!changes.length) break;
    for (const change of changes) if (change.origin === ctx.region) state.lastOwnLsn = change.lsn;
    state.upToLsn = changes[changes.length - 1].lsn;
  }
  scanned.set(ctx, state);
  return state.lastOwnLsn;
}
