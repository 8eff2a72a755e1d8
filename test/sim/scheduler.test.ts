import { describe, expect, it } from 'vitest';
import { SimBudgetError, SimBusyError, SimDeadlockError, SimDelayError, SimEventError, SimScheduler } from '../../src/sim/scheduler.js';

const START_MS = 1_000;

describe('SimScheduler: order and cancellation', () => {
  it('runs events by virtual time, ties in the order they were scheduled, and moves now to each', async () => {
    const scheduler = new SimScheduler(START_MS);
    const fired: string[] = [];
    const note = (name: string) => () => fired.push(`${name}@${scheduler.nowMs}`);
    scheduler.schedule(30, note('c'));
    scheduler.schedule(10, note('a1'));
    scheduler.schedule(10, note('a2'));
    scheduler.schedule(-5, note('negative'));
    scheduler.schedule(Number.NaN, note('nan'));
    scheduler.schedule(20, () => {
      note('b')();
      scheduler.schedule(0, note('b-child'));
      scheduler.schedule(10, note('b-late-child'));
    });
    await scheduler.runFor(100);
    expect(fired).toEqual(['negative@1000', 'nan@1000', 'a1@1010', 'a2@1010', 'b@1020', 'b-child@1020', 'c@1030', 'b-late-child@1030']);
    expect(scheduler.nowMs).toBe(1100);
    expect(scheduler.idle()).toBe(true);
  });

  it('never runs a cancelled event; cancelling twice or after it ran changes nothing', async () => {
    const scheduler = new SimScheduler(START_MS);
    const fired: string[] = [];
    const cancelA = scheduler.schedule(10, () => fired.push('a'));
    const cancelB = scheduler.schedule(20, () => fired.push('b'));
    scheduler.schedule(5, () => cancelA());
    cancelA();
    expect(scheduler.idle()).toBe(false);
    await scheduler.runFor(50);
    cancelB();
    cancelB();
    expect(fired).toEqual(['b']);
    expect(scheduler.idle()).toBe(true);
  });

  it('keeps its order when most events are cancelled and the heap is rebuilt', async () => {
    const scheduler = new SimScheduler(0);
    const fired: number[] = [];
    for (let i = 0; i < 5000; i += 1) {
      const cancel = scheduler.schedule((i * 7919) % 5000, () => fired.push(i));
      if (i % 5 !== 0) cancel();
    }
    await scheduler.runFor(5000);
    const kept = Array.from({ length: 1000 }, (_, k) => k * 5).sort((a, b) => (a * 7919) % 5000 - (b * 7919) % 5000 || a - b);
    expect(fired).toEqual(kept);
  });

  it('refuses a delay that would never come', () => {
    const scheduler = new SimScheduler(0);
    expect(() => scheduler.schedule(Number.POSITIVE_INFINITY, () => undefined)).toThrow(SimDelayError);
  });
});

describe('SimScheduler: processes', () => {
  it('kill() cancels every pending timer of the process, and its later schedules do nothing', async () => {
    const scheduler = new SimScheduler(START_MS);
    const region = scheduler.process('region-a');
    const other = scheduler.process('region-b');
    const fired: string[] = [];
    region.schedule(10, () => fired.push('a-early'));
    const cancelLate = region.schedule(30, () => fired.push('a-late'));
    region.schedule(40, () => region.schedule(1, () => fired.push('a-rescheduled')));
    other.schedule(30, () => fired.push('b'));
    scheduler.schedule(20, () => region.kill());
    await scheduler.runFor(100);
    expect(fired).toEqual(['a-early', 'b']);
    expect(region.alive).toBe(false);
    expect(other.alive).toBe(true);
    cancelLate();
    region.schedule(1, () => fired.push('after-death'))();
    await scheduler.runFor(10);
    expect(fired).toEqual(['a-early', 'b']);
    expect(scheduler.idle()).toBe(true);
  });
});

describe('SimScheduler: run', () => {
  it('returns the work result, and rethrows its own rejection unchanged', async () => {
    const scheduler = new SimScheduler(0);
    const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => scheduler.schedule(ms, () => resolve(value)));
    expect(await scheduler.run(later(5, 'done'))).toBe('done');
    const failure = new Error('work failed');
    await expect(scheduler.run(later(5, null).then(() => { throw failure; }))).rejects.toBe(failure);
    expect(scheduler.nowMs).toBe(10);
  });

  it('fails with SimDeadlockError naming the virtual time when nothing is left to run', async () => {
    const scheduler = new SimScheduler(0);
    scheduler.schedule(25, () => undefined);
    const error = await scheduler.run(new Promise(() => undefined)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SimDeadlockError);
    expect((error as SimDeadlockError).atMs).toBe(25);
    expect((error as Error).message).toContain('25 ms');
  });

  it('wraps a throwing event in SimEventError with the cause, and can run again afterwards', async () => {
    const scheduler = new SimScheduler(0);
    const cause = new Error('handler broke');
    scheduler.schedule(7, () => { throw cause; });
    const error = await scheduler.runFor(10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SimEventError);
    expect((error as SimEventError).cause).toBe(cause);
    expect((error as SimEventError).atMs).toBe(7);
    await scheduler.runFor(10);
    expect(scheduler.nowMs).toBe(17);
  });

  it('stops a livelock with SimBudgetError', async () => {
    const scheduler = new SimScheduler(0);
    const forever = (): void => void scheduler.schedule(1, forever);
    forever();
    await expect(scheduler.run(new Promise(() => undefined), { maxEvents: 500 })).rejects.toBeInstanceOf(SimBudgetError);
    expect(scheduler.nowMs).toBe(500);
  });

  it('refuses a second run while one is in progress', async () => {
    const scheduler = new SimScheduler(0);
    const first = scheduler.runFor(10);
    await expect(scheduler.runFor(10)).rejects.toBeInstanceOf(SimBusyError);
    await first;
  });
});

describe('SimScheduler: async work settles before the next event', () => {
  it('finishes a deep promise chain started by an event before an event due at the same time', async () => {
    const scheduler = new SimScheduler(0);
    const log: string[] = [];
    scheduler.schedule(10, () => {
      void (async () => {
        for (let i = 0; i < 50; i += 1) await null;
        log.push('chain done');
      })();
    });
    scheduler.schedule(10, () => log.push('next event'));
    await scheduler.runFor(20);
    expect(log).toEqual(['chain done', 'next event']);
  });

  it('lets a promise resolved with an existing promise, and queueMicrotask work, settle first too', async () => {
    const scheduler = new SimScheduler(0);
    const log: string[] = [];
    const existing = Promise.resolve('adopted');
    let resolveWaiter!: (value: Promise<string>) => void;
    void new Promise<string>((resolve) => { resolveWaiter = resolve; }).then((value) => log.push(value));
    scheduler.schedule(5, () => resolveWaiter(existing));
    scheduler.schedule(5, () => queueMicrotask(() => void Promise.resolve().then(() => log.push('microtask'))));
    scheduler.schedule(5, () => log.push('last'));
    await scheduler.runFor(10);
    expect(log).toEqual(['adopted', 'microtask', 'last']);
  });

  it('runs synchronous events without a macrotask hop each, and hops after every async one', async () => {
    const scheduler = new SimScheduler(0);
    for (let i = 0; i < 10_000; i += 1) scheduler.schedule(i % 100, () => undefined);
    await scheduler.runFor(100);
    expect(scheduler.macrotaskHops).toBeLessThanOrEqual(2 + Math.ceil(10_001 / 1024));
    const before = scheduler.macrotaskHops;
    for (let i = 0; i < 100; i += 1) scheduler.schedule(i, () => void Promise.resolve());
    await scheduler.runFor(100);
    expect(scheduler.macrotaskHops - before).toBeGreaterThanOrEqual(100);
  });
});
