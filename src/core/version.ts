/** Versions and the hybrid logical clock that stamps them (pure: time comes in as an argument). */
import type { Version } from './types.js';

/** Total order: ts, then counter, then the lexicographically larger region wins a full tie. */
export function compareVersions(a: Version, b: Version): -1 | 0 | 1 {
  if (a.ts !== b.ts) return a.ts < b.ts ? -1 : 1;
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  if (a.region !== b.region) return a.region < b.region ? -1 : 1;
  return 0;
}

export type ClockMode = 'hlc' | 'wall';

/** The last version a region stamped or observed; the seed of the next one. */
export interface ClockState {
  mode: ClockMode;
  last: Version;
}

export function initialClockState(region: string, mode: ClockMode = 'hlc'): ClockState {
  return { mode, last: { ts: 0, counter: 0, region } };
}

/**
 * Stamps the next local version. In `hlc` mode the timestamp never goes backwards, so a write
 * that follows another (locally or after observing a remote version) always orders after it.
 * In `wall` mode the physical time alone decides, like DynamoDB: a skewed clock can lose.
 */
export function nextVersion(state: ClockState, nowMs: number, region: string): Version {
  let version: Version;
  if (state.mode === 'wall') {
    version = nowMs === state.last.ts && state.last.region === region
      ? { ts: nowMs, counter: state.last.counter + 1, region }
      : { ts: nowMs, counter: 0, region };
  } else if (nowMs > state.last.ts) {
    version = { ts: nowMs, counter: 0, region };
  } else {
    version = { ts: state.last.ts, counter: state.last.counter + 1, region };
  }
  state.last = version;
  return version;
}

/** Absorbs a version seen from elsewhere so later local writes order after it (hlc only). */
export function observeVersion(state: ClockState, seen: Version): void {
  if (state.mode === 'hlc' && compareVersions(seen, state.last) > 0) {
    state.last = { ...seen, region: state.last.region };
  }
}
