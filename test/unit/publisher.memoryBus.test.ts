/** The publisher over the in-memory ChangeBus: every change once, in order, across a bus outage. */
import { describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/clock/clock.js';
import { MemoryChangeBus } from '../../src/bus/memoryBus.js';
import { Publisher } from '../../src/bus/publisher.js';
import type { ChangeMessage } from '../../src/bus/wire.js';
import { decodeChangeMessage } from '../../src/bus/wireDecode.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import type { Store } from '../../src/storage/store.js';

async function write(store: Store, from: number, count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, (_, i) => store.write((txn) => txn.appendChange({
    table: 'orders', eventName: 'INSERT', keys: { pk: { S: `k${from + i}` } }, newImage: { pk: { S: `k${from + i}` } },
    version: { ts: from + i, counter: 0, region: 'us-east-1' }, origin: 'us-east-1', commitTimeMs: Date.now(),
  }))));
}

const decoded = (bus: MemoryChangeBus): ChangeMessage[] => bus.messages().map((m) => decodeChangeMessage(m.payload));

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
    expect(bus.messages()).toHaveLength(200);
    bus.down = false;
    await write(store, 300, 100);
    await publisher.drained();
    await publisher.stop();
    const messages = decoded(bus);
    expect(messages.map((m) => m.lsn)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    expect(messages.map((m) => bus.messages()[m.lsn - 1].subject)).toEqual(Array(400).fill('chg.us-east-1.us-east-1.orders'));
    expect(errors.length).toBeGreaterThan(0);
  });
});
