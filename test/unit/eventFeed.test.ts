/** The event feed on a manual clock: idle without subscribers, bounded per beat, large images left out, status once a second. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/clock.js';
import type { Item } from '../../src/core/types.js';
import { FEED_BEAT_MS, MAX_CHANGES_PER_BEAT } from '../../src/region/eventFeed.js';
import type { FeedEvent } from '../../src/region/feedEvents.js';
import { randomIds } from '../../src/region/randomIds.js';
import { createRegionCore } from '../../src/region/regionCore.js';
import { createMemoryStore } from '../../src/storage/memory.js';

/** A manual clock that counts its pending timers. */
class CountingClock extends ManualClock {
  pending = 0;
  override schedule(fn: () => void, delayMs: number): () => void {
    this.pending += 1;
    let done = false;
    const settle = (): void => { if (!done) { done = true; this.pending -= 1; } };
    const cancel = super.schedule(() => { settle(); fn(); }, delayMs);
    return () => { settle(); cancel(); };
  }
}

function setup() {
  const clock = new CountingClock();
  const core = createRegionCore({ name: 'us-east-1', store: createMemoryStore(), clock, ids: randomIds });
  const write = (count: number, image: (i: number) => Item = (i) => ({ pk: { S: `k${i}` } })) => core.ctx.store.write((txn) => {
    for (let i = 0; i < count; i += 1) {
      txn.appendChange({
        table: 't', eventName: 'INSERT', keys: { pk: { S: `k${i}` } }, newImage: image(i),
        version: { ts: clock.nowMs(), counter: i, region: 'us-east-1' }, origin: 'us-east-1', commitTimeMs: clock.trueNowMs(),
      });
    }
  });
  return { clock, feed: core.feed, write };
}

describe('EventFeed', () => {
  it('runs no timer without subscribers, and stops its beat when the last one leaves', () => {
    const { clock, feed } = setup();
    expect(clock.pending).toBe(0);
    const first = feed.subscribe(() => {});
    const second = feed.subscribe(() => {});
    expect(clock.pending).toBe(1);
    first();
    expect(clock.pending).toBe(1);
    second();
    expect(clock.pending).toBe(0);
    feed.fault({ kind: 'nats', text: 'nats-server killed' });
  });

  it('starts with hello and status, then sends new changes, at most a bounded number a beat', async () => {
    const { clock, feed, write } = setup();
    await write(3);
    const events: FeedEvent[] = [];
    feed.subscribe((event) => events.push(event));
    expect(events.map((e) => e.type)).toEqual(['hello', 'status']);
    expect(events[0]).toMatchObject({ lsn: 3, region: 'us-east-1' });
    await write(MAX_CHANGES_PER_BEAT + 100);
    clock.advance(FEED_BEAT_MS);
    const changes = events.filter((e) => e.type === 'change');
    expect(changes).toHaveLength(MAX_CHANGES_PER_BEAT);
    expect(changes[0]).toMatchObject({ lsn: 4 });
    expect(events.filter((e) => e.type === 'changesSkipped')).toEqual([
      { type: 'changesSkipped', region: 'us-east-1', atMs: clock.trueNowMs(), fromLsn: 4 + MAX_CHANGES_PER_BEAT, toLsn: 3 + MAX_CHANGES_PER_BEAT + 100 },
    ]);
    const count = events.length;
    clock.advance(FEED_BEAT_MS);
    expect(events.length).toBe(count);
  });

  it('leaves a large image out, and sends status once a second to every subscriber alike', async () => {
    const { clock, feed, write } = setup();
    const a: FeedEvent[] = [];
    const b: FeedEvent[] = [];
    feed.subscribe((event) => a.push(event));
    feed.subscribe((event) => b.push(event));
    await write(2, (i) => ({ pk: { S: `k${i}` }, big: { S: 'x'.repeat(i === 1 ? 20_000 : 10) } }));
    clock.advance(FEED_BEAT_MS);
    const [small, large] = a.filter((e) => e.type === 'change') as { newImage?: Item; imageOmitted?: true }[];
    expect(small.newImage).toBeDefined();
    expect(large).toMatchObject({ imageOmitted: true });
    expect(large.newImage).toBeUndefined();
    clock.advance(2000);
    expect(a.slice(2)).toEqual(b.slice(2));
    expect(a.filter((e) => e.type === 'status')).toHaveLength(3);
  });

  it('ends every subscription when it closes', () => {
    const { clock, feed } = setup();
    let ended = 0;
    feed.subscribe(() => {}, () => { ended += 1; });
    feed.close();
    expect(ended).toBe(1);
    expect(clock.pending).toBe(0);
    feed.subscribe(() => {}, () => { ended += 1; });
    expect(ended).toBe(2);
  });
});
