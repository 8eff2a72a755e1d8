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

/**
 * How far a region's clock may be set from true time, either way (a skew, a jump, a forced
 * timestamp ahead). A day is far beyond any real clock error or demo, and bounds how long a hybrid
 * logical clock dragged ahead by such a clock runs ahead of true time: at most this long.
 */
export const MAX_CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

/** How far two machines' true clocks may disagree: NTP keeps them within milliseconds; a minute leaves room for one without it. */
export const HOST_CLOCK_TOLERANCE_MS = 60_000;

/**
 * The largest counter a version from elsewhere may carry. Counters count writes within one
 * millisecond of the clock; 2^48 is nine years of a million writes a second, and keeps `counter + 1`
 * exact (a counter near 2^53 would stop increasing and break the order).
 */
export const MAX_VERSION_COUNTER = 2 ** 48;

/** The last version a region stamped or observed; the seed of the next one. */
export interface ClockState {
  mode: ClockMode;
  /** hlc: the newest version stamped or absorbed. wall: the newest version stamped (by timestamp). */
  last: Version;
  /** wall: the counter of the last write stamped at or behind `last.ts`; it only ever grows. */
  wallCounter: number;
  /** Versions from elsewhere the clock refused to absorb (see observeVersion). */
  ignoredVersionCount: number;
}

export function initialClockState(region: string, mode: ClockMode = 'hlc'): ClockState {
  return { mode, last: { ts: 0, counter: 0, region }, wallCounter: 0, ignoredVersionCount: 0 };
}

/**
 * The latest timestamp a clock within bounds can read at this true time, on any machine. Every
 * version a region stamps stays at or below it (its own clock and forced timestamps are bounded,
 * and it absorbs nothing later), so only a broken or hostile peer sends anything later.
 */
export function versionCeilingMs(trueNowMs: number): number {
  return trueNowMs + MAX_CLOCK_SKEW_MS + HOST_CLOCK_TOLERANCE_MS;
}

/** A well-formed version no later than the ceiling: what a clock may absorb. */
function absorbable(seen: Version, ceilingMs: number): boolean {
  return Number.isSafeInteger(seen.ts) && seen.ts >= 0 && seen.ts <= ceilingMs
    && Number.isSafeInteger(seen.counter) && seen.counter >= 0 && seen.counter <= MAX_VERSION_COUNTER;
}

/**
 * Stamps the next local version. In `hlc` mode the timestamp never goes backwards, so a write
 * that follows another (locally or after observing a remote version) always orders after it.
 * In `wall` mode the physical time alone decides, like DynamoDB: a skewed clock can lose.
 */
export function nextVersion(state: ClockState, nowMs: number, region: string): Version {
  let version: Version;
  if (state.mode === 'wall') {
    // A wall clock goes back (a skew, a jump, a restart in the same millisecond): stamping a time it
    // already used with a counter it already used would give two writes one version, which
    // last-writer-wins cannot order. At or behind its newest timestamp, the counter counts on.
    if (nowMs > state.last.ts) return (state.last = { ts: nowMs, counter: 0, region });
    state.wallCounter = Math.max(state.wallCounter, state.last.counter) + 1;
    return { ts: nowMs, counter: state.wallCounter, region };
  } else if (nowMs > state.last.ts) {
    version = { ts: nowMs, counter: 0, region };
  } else {
    version = { ts: state.last.ts, counter: state.last.counter + 1, region };
  }
  state.last = version;
  return version;
}

/**
 * After a restart, the region's own versions in its recent change log: a wall clock then never
 * stamps one of them again (a hybrid logical clock absorbs them through observeVersion).
 */
export function restoreOwnVersion(state: ClockState, own: Version): void {
  if (state.mode !== 'wall') return;
  if (compareVersions(own, state.last) > 0) state.last = { ...own };
  state.wallCounter = Math.max(state.wallCounter, own.counter);
}

/**
 * The timestamp for a write to a key the region holds no record of: above `floor`, the newest
 * tombstone purged from its table, which that key may have had. A clock behind it (wall mode, a
 * forced timestamp) would otherwise stamp a write that a replica still holding the tombstone drops
 * and one that purged it keeps: the replicas would never agree.
 */
export function aboveFloor(nowMs: number, floor: Version | undefined): number {
  return floor && nowMs <= floor.ts ? floor.ts + 1 : nowMs;
}

/**
 * Absorbs a version seen from elsewhere so later local writes order after it (hlc only). A version
 * beyond `ceilingMs` (see versionCeilingMs) or malformed is not absorbed, whatever the mode, and
 * counted: absorbing a timestamp of 1e300 would stamp every later write of this region 1e300, for
 * good. The version itself still takes part in last-writer-wins, so regions still converge. Returns
 * whether the version was acceptable.
 */
export function observeVersion(state: ClockState, seen: Version, ceilingMs: number): boolean {
  if (!absorbable(seen, ceilingMs)) {
    state.ignoredVersionCount += 1;
    return false;
  }
  if (state.mode === 'hlc' && compareVersions(seen, state.last) > 0) {
    state.last = { ...seen, region: state.last.region };
  }
  return true;
}
