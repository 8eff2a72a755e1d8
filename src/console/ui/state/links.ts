/** The directed links between regions and what state each is in, read from the targets' status. */
import type { ConsoleState } from './consoleState.js';
import { pairId } from './keys.js';

export type LinkState = 'healthy' | 'latency' | 'stalled' | 'partitioned';

export interface DirectedLink {
  id: string;
  source: string;
  target: string;
  state: LinkState;
  latencyMs: number;
  jitterMs: number;
  /** How far the target is behind the source now (lagMs.current), when the target reported it. */
  lagMs: number | null;
  pending: number;
  connected: boolean | null;
  /** Either end is down: what the link last reported is stale. */
  regionDown: boolean;
}

/** Every link some target reports, in region order (source, then target). */
export function directedLinks(state: ConsoleState): DirectedLink[] {
  const out: DirectedLink[] = [];
  for (const source of state.regionOrder) {
    for (const target of state.regionOrder) {
      const link = state.regions[target]?.links[source];
      if (source === target || !link) continue;
      const back = state.regions[source]?.links[target];
      const replication = state.regions[target].replication[source];
      const linkState: LinkState = link.stalled ? (back?.stalled ? 'partitioned' : 'stalled') : link.latencyMs > 0 ? 'latency' : 'healthy';
      out.push({
        id: pairId(source, target), source, target, state: linkState, latencyMs: link.latencyMs, jitterMs: link.jitterMs,
        lagMs: replication ? replication.lagMs.current : null, pending: replication?.pending ?? 0, connected: replication ? replication.connected : null,
        regionDown: state.regions[source].up === false || state.regions[target].up === false,
      });
    }
  }
  return out;
}

/** Unordered pairs of regions with a link either way, each once: [a, b] with a before b in region order. */
export function regionPairs(state: ConsoleState): [string, string][] {
  const links = directedLinks(state);
  const pairs: [string, string][] = [];
  const order = state.regionOrder;
  for (const [i, a] of order.entries()) {
    for (const b of order.slice(i + 1)) {
      if (links.some((l) => (l.source === a && l.target === b) || (l.source === b && l.target === a))) pairs.push([a, b]);
    }
  }
  return pairs;
}

/** Changes waiting to reach this region, over all its sources. */
export function pendingInto(state: ConsoleState, region: string): number {
  return Object.values(state.regions[region]?.replication ?? {}).reduce((sum, r) => sum + r.pending, 0);
}
