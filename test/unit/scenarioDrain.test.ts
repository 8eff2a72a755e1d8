/**
 * waitConverged drains before it compares: digests that agree while a change is still on its way
 * (unpublished, or not yet applied by a peer) are not convergence.
 */
import { describe, expect, it } from 'vitest';
import type { RunContext } from '../../src/scenario/context.js';
import { Recorder } from '../../src/scenario/recorder.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { waitConverged } from '../../src/scenario/steps/checks.js';
import type { ScenarioRegionHandle, ScenarioTargets } from '../../src/scenario/targets.js';

/** Two regions whose digests always agree; us-east-1's last own change reaches eu-west-1 at `appliedAtMs`. */
function twoRegions(appliedAtMs: number, publishedAtMs = 0): { ctx: RunContext; now: () => number } {
  let nowMs = 0;
  const metrics = (name: string) => (name === 'us-east-1'
    ? { changeLog: { lastLsn: 5, publishedLsn: nowMs >= publishedAtMs ? 5 : 4, lastOwnLsn: 5 }, replication: [{ source: 'eu-west-1', checkpoint: 0, pending: 0 }] }
    : { changeLog: { lastLsn: 5, publishedLsn: 5, lastOwnLsn: 0 }, replication: [{ source: 'us-east-1', checkpoint: nowMs >= appliedAtMs ? 5 : 3, pending: nowMs >= appliedAtMs ? 0 : 2 }] });
  const region = (name: string): ScenarioRegionHandle => ({
    name,
    running: true,
    call: async () => { throw new Error('no calls here'); },
    admin: async <T>(path: string) => (path.startsWith('/admin/metrics') ? metrics(name) : { tables: { notes: { digest: 'same' } } }) as T,
    crash: async () => undefined,
    start: async () => undefined,
  });
  const regions = [region('us-east-1'), region('eu-west-1')];
  const targets: ScenarioTargets = {
    mode: 'sim',
    regions,
    region: (name) => regions.find((r) => r.name === name)!,
    running: () => regions,
    nowMs: () => nowMs,
    sleep: async (ms) => { nowMs += ms; },
    drive: (work) => work(),
    stop: async () => undefined,
    killNow: () => undefined,
  };
  const recorder = new Recorder(() => nowMs);
  recorder.tables.add('notes');
  const ctx: RunContext = {
    scenario: {} as Scenario, targets, recorder, random: () => 0, keyNames: new Map(), replicas: new Map([['notes', ['us-east-1', 'eu-west-1']]]), log: () => undefined,
  };
  return { ctx, now: () => nowMs };
}

describe('waitConverged', () => {
  it('waits until every peer has applied the last change each region made, although the digests agreed all along', async () => {
    const { ctx, now } = twoRegions(700);
    expect(await waitConverged(ctx, { timeoutMs: 5_000 }, 0)).toBe('converged in 700 ms');
    expect(now()).toBe(700);
  });

  it('waits until each region has published its own changes', async () => {
    const { ctx } = twoRegions(0, 300);
    expect(await waitConverged(ctx, { timeoutMs: 5_000 }, 0)).toBe('converged in 300 ms');
  });

  it('says what is still on its way when it gives up', async () => {
    const { ctx } = twoRegions(Number.POSITIVE_INFINITY);
    expect(await waitConverged(ctx, { timeoutMs: 1_000 }, 0)).toBe('NOT converged after 1000 ms');
    expect(ctx.recorder.expectations[0]).toMatchObject({ ok: false, detail: 'not drained: us-east-1 → eu-west-1 at 3 of 5, 2 pending' });
  });
});
