/**
 * A simulated link's faults, as plain data a scenario can set, print and replay. The first three
 * are the Link seam's settings (the TCP proxy has them too); the rest only a simulated network
 * can do to single messages.
 */
import { LinkSettingsError, updatedSettings, type LinkSettings } from '../nats/link.js';

export type JitterDistribution = 'uniform' | 'exponential';

export interface LinkFaults extends LinkSettings {
  /** uniform: in [0, jitterMs]; exponential: mean jitterMs, capped at 20 times that (a long tail, never forever). */
  jitter: JitterDistribution;
  /** Probability that a message is dropped. */
  lossRate: number;
  /** Probability that a message is delivered twice (the copy a little later). */
  duplicateRate: number;
  /** Probability that a message ignores the link's order and may overtake earlier ones. */
  reorderRate: number;
}

export const HEALTHY_FAULTS: Readonly<LinkFaults> = {
  latencyMs: 0,
  jitterMs: 0,
  stalled: false,
  jitter: 'uniform',
  lossRate: 0,
  duplicateRate: 0,
  reorderRate: 0,
};

const JITTER_DISTRIBUTIONS: readonly JitterDistribution[] = ['uniform', 'exponential'];
const RATES = ['lossRate', 'duplicateRate', 'reorderRate'] as const;

/** The faults after an update, or LinkSettingsError (changing nothing) naming the first bad value. */
export function updatedFaults(link: string, current: LinkFaults, partial: Partial<LinkFaults>): LinkFaults {
  // A key present but undefined changes nothing (as if it were absent).
  const update = Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined)) as Partial<LinkFaults>;
  const settings = updatedSettings(link, current, update);
  for (const key of RATES) {
    const value: unknown = update[key];
    if (value !== undefined && !(typeof value === 'number' && value >= 0 && value <= 1)) {
      throw new LinkSettingsError(`link ${link}: ${key} must be a probability from 0 to 1, got ${String(value)}`);
    }
  }
  if (update.jitter !== undefined && !JITTER_DISTRIBUTIONS.includes(update.jitter)) {
    throw new LinkSettingsError(`link ${link}: jitter must be one of ${JITTER_DISTRIBUTIONS.join(', ')}, got ${String(update.jitter)}`);
  }
  return {
    ...settings,
    jitter: update.jitter ?? current.jitter,
    lossRate: update.lossRate ?? current.lossRate,
    duplicateRate: update.duplicateRate ?? current.duplicateRate,
    reorderRate: update.reorderRate ?? current.reorderRate,
  };
}
