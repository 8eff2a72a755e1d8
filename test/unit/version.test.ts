import { describe, expect, it } from 'vitest';
import { compareVersions, initialClockState, nextVersion, observeVersion } from '../../src/core/version.js';

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
    observeVersion(state, { ts: 5000, counter: 3, region: 'eu-west-1' });
    const next = nextVersion(state, 1000, 'us-east-1');
    expect(compareVersions(next, { ts: 5000, counter: 3, region: 'eu-west-1' })).toBe(1);
  });

  it('wall mode uses physical time alone, so a slow clock loses', () => {
    const state = initialClockState('us-east-1', 'wall');
    observeVersion(state, { ts: 5000, counter: 0, region: 'eu-west-1' });
    const next = nextVersion(state, 1000, 'us-east-1');
    expect(next).toEqual({ ts: 1000, counter: 0, region: 'us-east-1' });
    expect(nextVersion(state, 1000, 'us-east-1')).toEqual({ ts: 1000, counter: 1, region: 'us-east-1' });
  });
});
