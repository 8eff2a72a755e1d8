/** The timers every simulated path waits with: delay, every and defer, all on a Clock. */
import { describe, expect, it } from 'vitest';
import { parseHeartbeat, startHeartbeat } from '../../src/bus/heartbeat.js';
import { defer, delay, every, ManualClock } from '../../src/clock/clock.js';
import { createMemoryStore } from '../../src/storage/memory.js';

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('timers on a clock', () => {
  it('delay resolves once the clock has moved by its time, not before', async () => {
    const clock = new ManualClock(0);
    let resolvedAtMs: number | undefined;
    void delay(clock, 50).then(() => { resolvedAtMs = clock.trueNowMs(); });
    clock.advance(49);
    await settle();
    expect(resolvedAtMs).toBeUndefined();
    clock.advance(1);
    await settle();
    expect(resolvedAtMs).toBe(50);
  });

  it('every runs at each interval until stopped, also when its function throws or stops it', () => {
    const clock = new ManualClock(0);
    const runsAtMs: number[] = [];
    const stop = every(clock, 100, () => { runsAtMs.push(clock.trueNowMs()); });
    clock.advance(350);
    stop();
    clock.advance(1000);
    expect(runsAtMs).toEqual([100, 200, 300]);

    const throwing: number[] = [];
    const stopThrowing = every(clock, 10, () => { throwing.push(clock.trueNowMs()); throw new RangeError('each run fails'); });
    expect(() => clock.advance(10)).toThrow(RangeError);
    expect(() => clock.advance(10)).toThrow(RangeError);
    stopThrowing();
    expect(throwing).toEqual([1360, 1370]);

    let selfStopped = 0;
    const stopSelf: () => void = every(clock, 10, () => { selfStopped += 1; stopSelf(); });
    clock.advance(100);
    expect(selfStopped).toBe(1);
  });

  it('defer runs after what is already due at the same time, and can be cancelled', () => {
    const clock = new ManualClock(0);
    const order: string[] = [];
    clock.schedule(() => order.push('due'), 0);
    defer(clock, () => order.push('deferred'));
    defer(clock, () => order.push('cancelled'))();
    clock.advance(0);
    expect(order).toEqual(['due', 'deferred']);
  });
});

describe('the heartbeat', () => {
  it('beats at once and then every interval of the region clock, with that clock\'s true time, until stopped', async () => {
    const clock = new ManualClock(1_000);
    const store = createMemoryStore();
    const sent: { subject: string; sentAtMs: number | undefined }[] = [];
    const stop = startHeartbeat({
      region: 'us-east-1', store, clock, intervalMs: 1000,
      status: () => ({ publishedLsn: 0, committedLsn: 0, stuck: null }),
      send: (subject, payload) => sent.push({ subject, sentAtMs: parseHeartbeat(payload)?.sentAtMs }),
    });
    clock.advance(2500);
    stop();
    clock.advance(5000);
    expect(sent).toEqual([1_000, 2_000, 3_000].map((sentAtMs) => ({ subject: 'heartbeat.us-east-1', sentAtMs })));
  });
});
