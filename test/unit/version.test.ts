import { describe, expect, it } from 'vitest';
import { compareVersions, initialClockState, MAX_CLOCK_SKEW_MS, MAX_VERSION_COUNTER, nextVersion, observeVersion, restoreOwnVersion, versionCeilingMs } from '../../src/core/version.js';

const CEILING_MS = versionCeilingMs(10_000);

describe('versions', () => {
  it('orders by ts, then counter, then region', () => {
    expect(compareVersions({ ts: 1, counter: 9, region: 'z' }, { ts: 2, counter: 0, region: 'a' })).toBe(-1);
    expect(compareVersions({ ts: 2, counter: 1, region: 'a' }, { ts: 2, counter: 0, region: 'z' })).toBe(1);
    expect(compareVersions({ ts: 2, counter: 1, region: 'eu-west-1' }, { ts: 2, counter: 1, region: 'us-east-1' })).toBe(-1);
    expect(compareVersions({ ts: 2, counter: 1, region: 'a' }, { ts: 2, counter: 1, region: 'a' })).toBe(0);
  });

  it('hlc never goes backwards, even when the clock does', () => {
    const state = initialClockState('us-east-1');
    const a = nextVersion(state, 1000, 'us-east-1');
    const b = nextVersion(state, 900, 'us-east-1');
    const c = nextVersion(state, 900, 'us-east-1');
    expect(compareVersions(a, b)).toBe(-1);
    expect(compareVersions(b, c)).toBe(-1);
    expect(b).toEqual({ ts: 1000, counter: 1, region: 'us-east-1' });
  });

  it('hlc absorbs a remote version so a causal overwrite wins', () => {
    const state = initialClockState('us-east-1');
    observeVersion(state, { ts: 5000, counter: 3, region: 'eu-west-1' }, CEILING_MS);
    const next = nextVersion(state, 1000, 'us-east-1');
    expect(compareVersions(next, { ts: 5000, counter: 3, region: 'eu-west-1' })).toBe(1);
  });

  it('wall mode uses physical time alone, so a slow clock loses', () => {
    const state = initialClockState('us-east-1', 'wall');
    observeVersion(state, { ts: 5000, counter: 0, region: 'eu-west-1' }, CEILING_MS);
    const next = nextVersion(state, 1000, 'us-east-1');
    expect(next).toEqual({ ts: 1000, counter: 0, region: 'us-east-1' });
    expect(nextVersion(state, 1000, 'us-east-1')).toEqual({ ts: 1000, counter: 1, region: 'us-east-1' });
  });

  it('the ceiling is as far ahead as a clock within bounds can read, plus the tolerance between machines', () => {
    expect(versionCeilingMs(1_000)).toBe(1_000 + MAX_CLOCK_SKEW_MS + 60_000);
  });

  it('hlc absorbs nothing beyond the ceiling or malformed, counts it, and keeps stamping true time', () => {
    const state = initialClockState('us-east-1');
    const poisons = [
      { ts: 1e300, counter: 0 },
      { ts: CEILING_MS + 1, counter: 0 },
      { ts: Number.NaN, counter: 0 },
      { ts: -1, counter: 0 },
      { ts: 1.5, counter: 0 },
      { ts: 5000, counter: MAX_VERSION_COUNTER + 1 },
      { ts: 5000, counter: Number.POSITIVE_INFINITY },
      { ts: '5000' as unknown as number, counter: 0 },
    ];
    for (const [i, poison] of poisons.entries()) {
      expect(observeVersion(state, { ...poison, region: 'eu-west-1' }, CEILING_MS)).toBe(false);
      expect(state.ignoredVersionCount).toBe(i + 1);
    }
    expect(nextVersion(state, 10_000, 'us-east-1')).toEqual({ ts: 10_000, counter: 0, region: 'us-east-1' });
  });

  it('hlc absorbs a version at the ceiling exactly', () => {
    const state = initialClockState('us-east-1');
    expect(observeVersion(state, { ts: CEILING_MS, counter: MAX_VERSION_COUNTER, region: 'eu-west-1' }, CEILING_MS)).toBe(true);
    expect(nextVersion(state, 10_000, 'us-east-1')).toEqual({ ts: CEILING_MS, counter: MAX_VERSION_COUNTER + 1, region: 'us-east-1' });
    expect(state.ignoredVersionCount).toBe(0);
  });

  it('wall mode counts a version beyond the ceiling too', () => {
    const state = initialClockState('us-east-1', 'wall');
    expect(observeVersion(state, { ts: 1e300, counter: 0, region: 'eu-west-1' }, CEILING_MS)).toBe(false);
    expect(state.ignoredVersionCount).toBe(1);
  });
});

describe('a wall clock', () => {
  const text = (v: { ts: number; counter: number }): string => `${v.ts}.${v.counter}`;

  it('never stamps one version twice when it goes back, and its timestamps stay physical', () => {
    const state = initialClockState('eu-west-1', 'wall');
    const times = [1000, 1000, 1005, 900, 1000, 1005, 1006, 1000, 1006];
    const stamped = times.map((ms) => nextVersion(state, ms, 'eu-west-1'));
    expect(stamped.map((v) => v.ts)).toEqual(times);
    expect(new Set(stamped.map(text)).size).toBe(times.length);
    // Within one millisecond, a later write still orders after an earlier one.
    expect(compareVersions(stamped[1], stamped[0])).toBe(1);
  });

  it('after a restart on its change log, does not stamp its own versions again (a restart within the same millisecond)', () => {
    const before = initialClockState('eu-west-1', 'wall');
    const written = [nextVersion(before, 1000, 'eu-west-1'), nextVersion(before, 1000, 'eu-west-1')];
    const after = initialClockState('eu-west-1', 'wall');
    for (const version of written) restoreOwnVersion(after, version);
    const next = nextVersion(after, 1000, 'eu-west-1');
    expect(written.map(text)).not.toContain(text(next));
    expect(compareVersions(next, written[1])).toBe(1);
  });
});

