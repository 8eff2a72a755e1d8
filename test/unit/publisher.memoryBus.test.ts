/**
 * The publisher over the in-memory ChangeBus: every change once, in order, in groups, across a bus
 * outage; and where it resumes on a stream it did not write alone (one from before groups, one
 * whose last message was trimmed).
 */
import { describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/clock/clock.js';
import { MemoryChangeBus } from '../../src/bus/memoryBus.js';
import { Publisher } from '../../src/bus/publisher.js';
import { messageId, subjectFor, type ReceivedMessage } from '../../src/bus/wire.js';
import { decodeMessage } from '../../src/bus/wireDecode.js';
import { encodeSingleChange } from '../../src/bus/wireEncode.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import type { Store } from '../../src/storage/store.js';

async function write(store: Store, from: number, count: number, origin = 'us-east-1'): Promise<void> {
  await Promise.all(Array.from({ length: count }, (_, i) => store.write((txn) => txn.appendChange({
    table: 'orders', eventName: 'INSERT', keys: { pk: { S: `k${from + i}` } }, newImage: { pk: { S: `k${from + i}` } },
    version: { ts: from + i, counter: 0, region: origin }, origin, commitTimeMs: Date.now(),
  }))));
}

const decoded = (bus: MemoryChangeBus): ReceivedMessage[] => bus.messages().map((m) => decodeMessage(m.payload));
const lsns = (bus: MemoryChangeBus): number[] => decoded(bus).flatMap((m) => m.changes.map((c) => c.lsn));
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('publisher over the in-memory bus', () => {
  it('publishes every change exactly once and in order, also when the bus is down for a while', async () => {
    const store = createMemoryStore();
    const bus = new MemoryChangeBus();
    const errors: unknown[] = [];
    const publisher = new Publisher({ region: 'us-east-1', store, bus, clock: new SystemClock(), retryDelayMs: 10, onError: (e) => errors.push(e) });
    publisher.start();
    await write(store, 0, 200);
    await publisher.drained();
    bus.down = true;
    await write(store, 200, 100);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lsns(bus)).toEqual(range(1, 200));
    bus.down = false;
    await write(store, 300, 100);
    await publisher.drained();
    await publisher.stop();
    expect(lsns(bus)).toEqual(range(1, 400));
    expect(new Set(bus.messages().map((m) => m.subject))).toEqual(new Set(['chg.us-east-1.us-east-1.orders']));
    // Writes committed together went out together: far fewer messages than changes.
    expect(bus.messages().length).toBeLessThan(20);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('keeps one origin per message, and counts only the region\'s own changes', async () => {
    const store = createMemoryStore();
    const bus = new MemoryChangeBus();
    const publisher = new Publisher({ region: 'us-east-1', store, bus, clock: new SystemClock() });
    await write(store, 0, 3);
    await write(store, 3, 2, 'eu-west-1');
    await write(store, 5, 4);
    publisher.start();
    await publisher.drained();
    await publisher.stop();
    expect(bus.messages().map((m) => [m.subject, m.msgId])).toEqual([
      ['chg.us-east-1.us-east-1.orders', 'us-east-1:1-3'],
      ['chg.us-east-1.eu-west-1.orders', 'us-east-1:4-5'],
      ['chg.us-east-1.us-east-1.orders', 'us-east-1:6-9'],
    ]);
    expect(decoded(bus).map((m) => m.ownCount)).toEqual([3, 3, 7]);
    expect(publisher.status()).toMatchObject({ publishedLsn: 9, ownCount: 7, ownLsn: 9 });
  });

  it('continues a stream from before groups after its last single-change message, counting own changes from there', async () => {
    const store = createMemoryStore();
    const bus = new MemoryChangeBus();
    await write(store, 0, 5);
    // Changes 1–3 went out one per message (sequence = lsn) before the upgrade; the cursor was saved at 2.
    for (const change of store.changesAfter(0, 3)) await bus.publish(subjectFor('us-east-1', change), change.lsn, `us-east-1:${change.lsn}`, encodeSingleChange('us-east-1', change));
    await store.write((txn) => txn.putMeta('publisher.cursor', 2));
    const publisher = new Publisher({ region: 'us-east-1', store, bus, clock: new SystemClock() });
    publisher.start();
    await publisher.drained();
    await publisher.stop();
    expect(lsns(bus)).toEqual(range(1, 5));
    expect(bus.messages().at(-1)).toMatchObject({ seq: 4, msgId: messageId('us-east-1', 4, 5) });
    expect(decoded(bus).map((m) => m.ownCount)).toEqual([undefined, undefined, undefined, 2]);
  });

  it('resumes from its saved position when the stream no longer holds its last message', async () => {
    const store = createMemoryStore();
    const bus = new MemoryChangeBus();
    let publisher = new Publisher({ region: 'us-east-1', store, bus, clock: new SystemClock() });
    publisher.start();
    await write(store, 0, 10);
    await publisher.drained();
    await publisher.stop();
    const seq = bus.bounds().lastSeq;
    bus.trim(seq);
    await write(store, 10, 5);
    publisher = new Publisher({ region: 'us-east-1', store, bus, clock: new SystemClock() });
    publisher.start();
    await publisher.drained();
    await publisher.stop();
    expect(bus.bounds().firstSeq).toBe(seq + 1);
    expect(lsns(bus)).toEqual(range(11, 15));
    expect(decoded(bus).at(-1)!.ownCount).toBe(15);
  });

  it('after acks lost for groups the stream did store, resumes after them, even when what follows groups differently', async () => {
    const store = createMemoryStore();
    const bus = new MemoryChangeBus();
    // The next two publishes are stored, but their acks never arrive (a connection lost meanwhile).
    let acksToLose = 2;
    const publish = bus.publish.bind(bus);
    bus.publish = async (...args) => {
      const result = await publish(...args);
      if (acksToLose > 0) {
        acksToLose -= 1;
        throw new Error('ack lost');
      }
      return result;
    };
    await write(store, 0, 3);
    await write(store, 3, 2, 'eu-west-1');
    const publisher = new Publisher({ region: 'us-east-1', store, bus, clock: new SystemClock(), retryDelayMs: 5, onError: () => {} });
    publisher.start();
    await write(store, 5, 4);
    await publisher.drained();
    await publisher.stop();
    expect(lsns(bus)).toEqual(range(1, 9));
    expect(bus.messages().map((m) => m.seq)).toEqual(bus.messages().map((_, i) => i + 1));
    expect(decoded(bus).at(-1)!.ownCount).toBe(7);
  });
});
