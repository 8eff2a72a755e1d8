import { describe, expect, it } from 'vitest';
import type { RegionContext } from '../../src/dynamo/context.js';
import { purgeTombstones } from '../../src/region/tombstoneRetention.js';
import { ManualClock, SystemClock } from '../../src/clock/clock.js';
import { matchingKeys, SweepCursors, yieldTurnOf } from '../../src/storage/chunkedScan.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import type { ItemRecord, Store } from '../../src/storage/store.js';

const version = { ts: 1, counter: 0, region: 'us-east-1' };
const live = (n: number): ItemRecord => ({ item: { pk: { N: String(n) } }, version, origin: 'us-east-1', writtenAtMs: 1 });
const tombstone = (n: number, deletedAtMs: number): ItemRecord => ({ item: null, keys: { pk: { N: String(n) } }, version, origin: 'us-east-1', writtenAtMs: 1, deletedAtMs });
const key = (n: number): Uint8Array => new Uint8Array([n >> 8, n & 0xff]);
/** Pauses between chunks as a real region does. */
const realTurn = yieldTurnOf(new SystemClock());
/** The system clock's timers, at a fixed true time. */
const clockAt = (nowMs: number): SystemClock => Object.assign(new SystemClock(), { trueNowMs: () => nowMs });

/** A store whose table 1 holds `count` records, made by `recordOf`. */
async function storeWith(count: number, recordOf: (n: number) => ItemRecord): Promise<Store> {
  const store = createMemoryStore();
  await store.write((txn) => {
    txn.putTable('t', { id: 1, name: 't' });
    for (let n = 0; n < count; n += 1) txn.putItem(1, key(n), recordOf(n));
  });
  return store;
}

/** Counts the turns of the event loop while `work` runs. */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let running = true;
  const tick = (): void => { if (running) { turns += 1; setImmediate(tick); } };
  setImmediate(tick);
  const result = await work();
  running = false;
  return { result, turns };
}

describe('scanning a table a chunk at a time', () => {
  it('finds every matching key in key order across chunk boundaries, letting the event loop run between chunks', async () => {
    const store = await storeWith(2500, (n) => (n % 7 === 0 ? tombstone(n, 5) : live(n)));
    const { result, turns } = await turnsDuring(() => matchingKeys(store, realTurn, 1, (r) => r.item === null, { chunkSize: 1000 }));
    expect(result.next).toBeUndefined();
    expect(result.keys).toEqual(Array.from({ length: 2500 }, (_, n) => n).filter((n) => n % 7 === 0).map(key));
    expect(turns).toBeGreaterThanOrEqual(2);
  });

  it('pauses between chunks on its clock: on virtual time, the next chunk waits until the clock lets it', async () => {
    const store = await storeWith(2500, live);
    const clock = new ManualClock();
    let done = false;
    const scan = matchingKeys(store, yieldTurnOf(clock), 1, () => true, { chunkSize: 1000 }).finally(() => { done = true; });
    let pauses = 0;
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (done) break;
      // Without the clock moving, the scan stays where it paused.
      pauses += 1;
      clock.advance(0);
    }
    expect([(await scan).keys.length, pauses]).toEqual([2500, 2]);
  });

  it('stops at the limit or after so many records, saying where to resume, and ends when a chunk comes back exactly full', async () => {
    const store = await storeWith(2000, live);
    const first = await matchingKeys(store, realTurn, 1, () => true, { chunkSize: 500, limit: 3 });
    expect(first.keys).toEqual([key(0), key(1), key(2)]);
    expect((await matchingKeys(store, realTurn, 1, () => true, { chunkSize: 500, limit: 2, start: first.next })).keys).toEqual([key(3), key(4)]);
    // A budget of records: three runs of 800 cover the table once, the last one reaching its end.
    const odd = (r: ItemRecord): boolean => Number((r.item!.pk as { N: string }).N) % 2 === 1;
    const runs = [await matchingKeys(store, realTurn, 1, odd, { chunkSize: 300, maxRecords: 800 })];
    while (runs.at(-1)!.next) runs.push(await matchingKeys(store, realTurn, 1, odd, { chunkSize: 300, maxRecords: 800, start: runs.at(-1)!.next }));
    expect(runs.map((r) => r.keys.length)).toEqual([400, 400, 200]);
    expect(runs.flatMap((r) => r.keys)).toEqual(Array.from({ length: 1000 }, (_, i) => key(2 * i + 1)));
    expect((await matchingKeys(store, realTurn, 1, () => true, { chunkSize: 1000 })).keys).toHaveLength(2000);
    expect(await matchingKeys(store, realTurn, 2, () => true)).toEqual({ keys: [] });
  });
});

describe('tombstone retention', () => {
  it('purges tombstones older than the retention period, and nothing else', async () => {
    const nowMs = 100_000;
    const retentionMs = 10_000;
    // Every third record an old tombstone, every third a recent one, the rest live items.
    const store = await storeWith(3000, (n) => (n % 3 === 0 ? tombstone(n, nowMs - retentionMs - 1) : n % 3 === 1 ? tombstone(n, nowMs - retentionMs + 1) : live(n)));
    const ctx = { store, clock: clockAt(nowMs), settings: { tombstoneRetentionMs: retentionMs } } as unknown as RegionContext;
    expect(await purgeTombstones(ctx)).toBe(1000);
    const left = store.read((txn) => [...txn.range(1)].map(({ record }) => record));
    expect(left).toHaveLength(2000);
    expect(left.filter((r) => r.item === null).every((r) => r.deletedAtMs! > nowMs - retentionMs)).toBe(true);
    expect(await purgeTombstones(ctx)).toBe(0);
  });

  it('with a budget of records per run, covers a large table over several runs, each resuming where the last stopped', async () => {
    const nowMs = 100_000;
    const store = await storeWith(3000, (n) => (n % 2 === 0 ? tombstone(n, 1) : live(n)));
    const ctx = { store, clock: clockAt(nowMs), settings: { tombstoneRetentionMs: 10 } } as unknown as RegionContext;
    const cursors = new SweepCursors(ctx.clock);
    const runs = [];
    for (let run = 0; run < 4; run += 1) runs.push(await purgeTombstones(ctx, undefined, cursors, 1200));
    // 1200 records, 1200 more, the last 600 (the end), then from the start again: nothing left.
    expect(runs).toEqual([600, 600, 300, 0]);
    expect(store.read((txn) => [...txn.range(1)].every(({ record }) => record.item !== null))).toBe(true);
  });
});
