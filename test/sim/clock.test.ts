import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/sim/clock.js';
import { SimScheduler } from '../../src/sim/scheduler.js';

const START_MS = 1_700_000_000_000;

describe('VirtualClock', () => {
  it('reads the scheduler time as true time, in whole ms, and moves only when the simulation does', async () => {
    const scheduler = new SimScheduler(START_MS);
    const clock = new VirtualClock(scheduler);
    expect(clock.trueNowMs()).toBe(START_MS);
    expect(clock.nowMs()).toBe(START_MS);
    await scheduler.runFor(2.75);
    expect(clock.trueNowMs()).toBe(START_MS + 2);
    await scheduler.runFor(0.25);
    expect(clock.trueNowMs()).toBe(START_MS + 3);
  });

  it('adds the skew to region time only, and a change of skew is a jump', async () => {
    const scheduler = new SimScheduler(START_MS);
    const clock = new VirtualClock(scheduler, { skewMs: -500 });
    expect(clock.nowMs()).toBe(START_MS - 500);
    clock.skewMs = 90_000;
    expect(clock.nowMs()).toBe(START_MS + 90_000);
    expect(clock.trueNowMs()).toBe(START_MS);
  });

  it('drifts by driftPpm of the time elapsed, rounded, and keeps what it drifted when the rate changes', async () => {
    const scheduler = new SimScheduler(START_MS);
    const clock = new VirtualClock(scheduler, { driftPpm: 1000 });
    await scheduler.runFor(10_400);
    expect(clock.nowMs() - clock.trueNowMs()).toBe(10);
    await scheduler.runFor(200);
    expect(clock.nowMs() - clock.trueNowMs()).toBe(11);
    clock.driftPpm = -500;
    expect(clock.nowMs() - clock.trueNowMs()).toBe(11);
    await scheduler.runFor(4_000);
    expect(clock.nowMs() - clock.trueNowMs()).toBe(9);
  });

  it('returns one reading while frozen, and reads forward again after unfreeze', async () => {
    const scheduler = new SimScheduler(START_MS);
    const clock = new VirtualClock(scheduler, { skewMs: 5 });
    clock.freeze();
    expect(clock.frozen).toBe(true);
    await scheduler.runFor(1_000);
    clock.skewMs = 60_000;
    expect(clock.nowMs()).toBe(START_MS + 5);
    expect(clock.trueNowMs()).toBe(START_MS + 1_000);
    clock.unfreeze();
    expect(clock.nowMs()).toBe(START_MS + 1_000 + 60_000);
  });

  it('schedules on the scheduler; a clock withProcess shares the region time and its timers die with the process', async () => {
    const scheduler = new SimScheduler(START_MS);
    const regionClock = new VirtualClock(scheduler, { skewMs: 100 });
    const process = scheduler.process('region-a');
    const processClock = regionClock.withProcess(process);
    const fired: string[] = [];
    regionClock.schedule(() => fired.push(`region@${regionClock.trueNowMs()}`), 20);
    processClock.schedule(() => fired.push('process-early'), 10);
    processClock.schedule(() => fired.push('process-late'), 30);
    await scheduler.runFor(15);
    process.kill();
    processClock.schedule(() => fired.push('process-after-kill'), 1);
    await scheduler.runFor(50);
    expect(fired).toEqual(['process-early', `region@${START_MS + 20}`]);
    processClock.skewMs = 7;
    expect(regionClock.nowMs()).toBe(regionClock.trueNowMs() + 7);
    regionClock.freeze();
    expect(processClock.frozen).toBe(true);
  });
});
