/**
 * A change the bus refuses (over its max_payload): the publisher reports it stuck with its lsn,
 * once, tries it again ever more slowly, loses nothing behind it, and resumes once the limit allows.
 */
import { describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/clock/clock.js';
import { MemoryChangeBus } from '../../src/bus/memoryBus.js';
import { Publisher, type PublisherStuck } from '../../src/bus/publisher.js';
import { decodeMessage } from '../../src/bus/wireDecode.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import type { Store } from '../../src/storage/store.js';

const BIG_BYTES = 10_000;

async function write(store: Store, key: string, bytes = 10): Promise<void> {
  await store.write((txn) => txn.appendChange({
    table: 'orders', eventName: 'INSERT', keys: { pk: { S: key } }, newImage: { pk: { S: key }, b: { B: Buffer.alloc(bytes, 3).toString('base64') } },
    version: { ts: Date.now(), counter: 0, region: 'us-east-1' }, origin: 'us-east-1', commitTimeMs: Date.now(),
  }));
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('a publisher whose change the bus refuses', () => {
  it('reports it stuck at its lsn once, retries it alone with growing waits, and resumes with nothing lost once the limit allows it', async () => {
    const store = createMemoryStore();
    const bus = new MemoryChangeBus();
    bus.maxPayloadBytes = 4096;
    // Every attempt to publish asks the bus for its limit first.
    const attemptsAtMs: number[] = [];
    const limit = bus.maxMessageBytes.bind(bus);
    bus.maxMessageBytes = () => { attemptsAtMs.push(Date.now()); return limit(); };
    const reports: [PublisherStuck | undefined, PublisherStuck | undefined][] = [];
    const errors: unknown[] = [];
    const publisher = new Publisher({
      region: 'us-east-1', store, bus, clock: new SystemClock(), retryDelayMs: 10, stuckRetryMaxMs: 80,
      onStuck: (stuck, previous) => reports.push([stuck, previous]), onError: (error) => errors.push(error),
    });
    publisher.start();
    for (const key of ['a', 'b', 'c']) await write(store, key);
    await publisher.drained();

    await write(store, 'big', BIG_BYTES);
    for (const key of ['d', 'e', 'f', 'g', 'h']) await write(store, key);
    await until(() => publisher.stuck !== undefined, 'stuck');
    expect(publisher.status()).toMatchObject({ publishedLsn: 3, committedLsn: 9, stuck: { lsn: 4, reason: 'payload-too-large', maxPayloadBytes: 4096 } });
    expect(publisher.stuck!.payloadBytes).toBeGreaterThan(BIG_BYTES);
    expect(publisher.stuck!.message).toMatch(/change 4 encodes to \d+ bytes .* at most 4096 \(max_payload\)/);

    // Tried again and again, each time only the stuck change, waiting longer each time (10, 20, 40, 80, 80 ms).
    const firstAttempt = attemptsAtMs.length;
    await until(() => attemptsAtMs.length >= firstAttempt + 5, 'five more attempts');
    const waits = attemptsAtMs.slice(firstAttempt - 1, firstAttempt + 5).map((at, i, all) => (i ? at - all[i - 1] : 0)).slice(1);
    expect(waits[3]).toBeGreaterThanOrEqual(60);
    expect(waits[4]).toBeGreaterThanOrEqual(60);
    expect(bus.messages().flatMap((m) => decodeMessage(m.payload).changes)).toHaveLength(3);
    expect(reports).toEqual([[publisher.stuck, undefined]]);
    expect(errors).toEqual([]);

    bus.maxPayloadBytes = 64 * 1024;
    await publisher.drained();
    await publisher.stop();
    const published = bus.messages().flatMap((m) => decodeMessage(m.payload).changes);
    expect(published.map((m) => m.lsn)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(published.map((m) => (m.keys.pk as { S: string }).S)).toEqual(['a', 'b', 'c', 'big', 'd', 'e', 'f', 'g', 'h']);
    expect(published[3].newImage!.b).toEqual({ B: Buffer.alloc(BIG_BYTES, 3).toString('base64') });
    expect(publisher.stuck).toBeUndefined();
    expect(reports).toHaveLength(2);
    expect(reports[1]).toEqual([undefined, expect.objectContaining({ lsn: 4 })]);
  });

  it('stops at once while waiting to try again', async () => {
    const store = createMemoryStore();
    const bus = new MemoryChangeBus();
    bus.maxPayloadBytes = 1024;
    const publisher = new Publisher({ region: 'us-east-1', store, bus, clock: new SystemClock(), retryDelayMs: 60_000 });
    publisher.start();
    await write(store, 'big', BIG_BYTES);
    await until(() => publisher.stuck !== undefined, 'stuck');
    const startedMs = Date.now();
    await publisher.stop();
    expect(Date.now() - startedMs).toBeLessThan(1000);
  });
});
