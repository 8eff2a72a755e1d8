/** Feed and console events as a cluster would send them, for the console's state tests. */
import type { FeedChange, FeedConflict, FeedFault, FeedStatus } from '../../src/region/feedEvents.js';
import type { Item, Version } from '../../src/core/types.js';

export const v = (ts: number, region: string, counter = 0): Version => ({ ts, counter, region });

const stats = { connections: 1, openConnections: 1, bytesUpstream: 0, bytesDownstream: 0, resets: 0, heldBytes: 0 };

export function status(region: string, atMs: number, options: {
  peers?: string[]; stalled?: string[]; latencyMs?: Record<string, number>; lagMs?: Record<string, number>; pending?: Record<string, number>; tables?: string[]; skewMs?: number;
} = {}): FeedStatus {
  const peers = options.peers ?? [];
  return {
    type: 'status', region, atMs, items: 0,
    tables: (options.tables ?? []).map((name) => ({ name, items: 0, replicas: peers })),
    clock: { mode: 'hlc', skewMs: options.skewMs ?? 0 },
    links: peers.map((source) => ({ source, latencyMs: options.latencyMs?.[source] ?? 0, jitterMs: 0, stalled: options.stalled?.includes(source) ?? false, stats })),
    replication: peers.map((source) => ({
      source, connected: true, pending: options.pending?.[source] ?? 0, applied: 0,
      lagMs: { p50: null, p99: null, current: options.lagMs?.[source] ?? 0 },
    })),
    conflicts: 0,
  };
}

export function change(region: string, atMs: number, table: string, keys: Item, newImage: Item | null, version: Version, origin = version.region): FeedChange {
  return {
    type: 'change', region, atMs, lsn: atMs, table, eventName: newImage ? 'MODIFY' : 'REMOVE', keys,
    ...(newImage ? { newImage } : {}), version, origin,
  };
}

export function conflict(detectedIn: string, atMs: number, table: string, keys: Item, winner: Version, loser: Version): FeedConflict {
  return {
    type: 'conflict', region: detectedIn, atMs,
    conflict: {
      seq: 1, table, keys, detectedIn, detectedAtMs: atMs, reason: 'newer-timestamp',
      winner: { version: winner, origin: winner.region, writtenAtMs: winner.ts },
      loser: { version: loser, origin: loser.region, writtenAtMs: loser.ts },
      explanation: `${winner.region}'s write won: its timestamp was ${winner.ts - loser.ts} ms newer`,
    },
  };
}

export function linkFault(region: string, atMs: number, source: string, settings: { stalled?: boolean; latencyMs?: number }): FeedFault {
  const link = { source, latencyMs: settings.latencyMs ?? 0, jitterMs: 0, stalled: settings.stalled ?? false, stats };
  return { type: 'fault', region, atMs, kind: 'link', text: `link from ${source} ${link.stalled ? 'stalled' : 'healed'}`, link };
}
