/**
 * The Link seam: what carries one region's changes to another, with the faults a network has
 * (latency, jitter, a stall that holds everything, a reset that drops what is in flight).
 * Real: a TCP proxy in front of a nats-server (linkProxy.ts). Simulated: src/sim/link.ts.
 */

export interface LinkSettings {
  /** Extra one-way delay applied to what flows towards the replicator (the direction replication data travels), ms. */
  latencyMs: number;
  /** Uniform random extra delay in [0, jitterMs] added per chunk; order is always preserved. */
  jitterMs: number;
  /** While stalled nothing is forwarded (it is held, in order, and flows again when un-stalled). This is how a partition looks to TCP: no resets, just silence. */
  stalled: boolean;
}

/** bytes* count bytes delivered; resets counts connections destroyed by reset(); heldBytes are received but not yet delivered. */
export interface LinkStats { connections: number; openConnections: number; bytesUpstream: number; bytesDownstream: number; resets: number; heldBytes: number }

export class LinkSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LinkSettingsError';
  }
}

export interface Link {
  readonly name: string;
  readonly settings: LinkSettings;
  /** Changes some settings; throws LinkSettingsError (changing nothing) for an invalid value. */
  update(settings: Partial<LinkSettings>): LinkSettings;
  /** Drops every open connection and what it had in flight; settings stay. */
  reset(): void;
  /** No latency, no jitter, not stalled; what was held flows. */
  heal(): LinkSettings;
  stats(): LinkStats;
  close(): Promise<void>;
}

export const HEALTHY: LinkSettings = { latencyMs: 0, jitterMs: 0, stalled: false };

/**
 * The largest latency or jitter a link accepts (ms). A minute one way is beyond any real network;
 * a longer outage is what `stalled` is for. It also keeps every delay far below what a timer can
 * wait (2^31 - 1 ms, past which node fires at once).
 */
export const MAX_LINK_DELAY_MS = 60_000;

/** The settings after an update, or LinkSettingsError naming the first bad value. */
export function updatedSettings(link: string, current: LinkSettings, update: Partial<LinkSettings>): LinkSettings {
  const invalid = (key: keyof LinkSettings, expected: string) =>
    new LinkSettingsError(`link ${link}: ${key} must be ${expected}, got ${String(update[key])}`);
  for (const key of ['latencyMs', 'jitterMs'] as const) {
    const value: unknown = update[key];
    if (value !== undefined && !(typeof value === 'number' && value >= 0 && value <= MAX_LINK_DELAY_MS)) throw invalid(key, `a number of ms from 0 to ${MAX_LINK_DELAY_MS}`);
  }
  if (update.stalled !== undefined && typeof update.stalled !== 'boolean') throw invalid('stalled', 'a boolean');
  const { latencyMs, jitterMs, stalled } = { ...current, ...update };
  return { latencyMs, jitterMs, stalled };
}
