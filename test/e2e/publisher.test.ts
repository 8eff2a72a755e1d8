import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/clock/clock.js';
import { NatsChangeBus } from '../../src/bus/natsBus.js';
import type { ChangePublisher } from '../../src/bus/changePublisher.js';
import { Publisher } from '../../src/bus/publisher.js';
import { PublisherThread } from '../../src/bus/publisherThread.js';
import { streamGroups, type StoredGroup } from '../helpers/nats.js';
import { startNatsServer, type RunningNatsServer } from '../../src/nats/launcher.js';
import { openLmdbStore } from '../../src/storage/lmdb.js';
import type { Store } from '../../src/storage/store.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => { while (cleanups.length) await cleanups.pop()!(); });

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'globaltables-pub-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function nats(storeDir: string, port?: number): Promise<RunningNatsServer> {
  const server = await startNatsServer({ storeDir, port });
  cleanups.push(() => server.stop());
  return server;
}

async function write(store: Store, from: number, count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, (_, i) => store.write((txn) => txn.appendChange({
    table: 'orders', eventName: 'INSERT', keys: { pk: { S: `k${from + i}` } }, newImage: { pk: { S: `k${from + i}` } },
    version: { ts: from + i, counter: 0, region: 'us-east-1' }, origin: 'us-east-1', commitTimeMs: Date.now(),
  }))));
}


/** A writer that commits a few changes every millisecond until stopped: publishes are always in flight. */
function keepWriting(store: Store, from: number): { stop(): Promise<number> } {
  let next = from;
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      await write(store, next, 3);
      next += 3;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  })();
  return { async stop() { stopped = true; await running; return next; } };
}

/**
 * Every change 1..count exactly once, in lsn order, in messages of consecutive lsns whose ids name
 * them, at consecutive sequences, each counting the region's own changes up to its last.
 */
function expectExactlyInOrder(groups: StoredGroup[], count: number): void {
  const changes = groups.flatMap((g) => g.changes);
  expect(changes.map((m) => m.lsn)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  expect(new Set(changes.map((m) => (m.keys.pk as { S: string }).S)).size).toBe(count);
  expect(changes[0]).toMatchObject({ schemaVersion: 3, eventName: 'INSERT', table: 'orders', region: 'us-east-1', origin: 'us-east-1' });
  expect(groups.map((g) => g.seq)).toEqual(groups.map((_, i) => i + 1));
  for (const group of groups) {
    const lsns = group.changes.map((c) => c.lsn);
    expect(group.msgId).toBe(`us-east-1:${lsns[0]}-${lsns.at(-1)}`);
    expect(group.subject).toBe('chg.us-east-1.us-east-1.orders');
    expect(group.ownCount).toBe(lsns.at(-1));
  }
}

interface Made { store: Store; dir: string; url: string; bus: NatsChangeBus; onError?: (error: unknown) => void }
type MakePublisher = (made: Made) => ChangePublisher;

/** On the region's thread, sharing the region's bus. */
const inProcess: MakePublisher = ({ store, bus, onError }) => new Publisher({ region: 'us-east-1', store, bus, clock: new SystemClock(), ...(onError ? { onError } : {}) });
/** On a thread of its own, reading the store's environment there, with a NATS connection of its own. */
const onThread: MakePublisher = ({ store, dir, url, onError }) => new PublisherThread({
  region: 'us-east-1', store, clock: new SystemClock(), natsUrl: url, dataDir: dir, durability: 'process', log: (message) => onError?.(message),
});

for (const [where, make] of [['on the region\'s thread', inProcess], ['on a thread of its own', onThread]] as const) {
  describe(`publisher (outbox drain to JetStream), ${where}`, () => {
    it('publishes N writes as exactly N changes in lsn order, a commit group in one message', async () => {
      const server = await nats(await tempDir());
      const dir = await tempDir();
      const store = openLmdbStore(dir);
      cleanups.push(() => store.close());
      const bus = await NatsChangeBus.connect({ url: server.url, region: 'us-east-1' });
      cleanups.push(() => bus.close());
      const publisher = make({ store, dir, url: server.url, bus });
      publisher.start();
      await write(store, 0, 1000);
      await publisher.drained();
      const groups = await streamGroups(server.url);
      expectExactlyInOrder(groups, 1000);
      // The thousand writes committed together; at most a few messages carry them.
      expect(groups.length).toBeLessThanOrEqual(3);
      // The position is saved now and then while publishing, and always when the publisher stops.
      await publisher.stop();
      expect(store.read((txn) => txn.getMeta('publisher.position'))).toEqual({ lsn: 1000, seq: groups.length, ownCount: 1000 });
    });

    it('loses, duplicates and reorders nothing when the nats-server is SIGKILLed and restarted mid-run', async () => {
      const natsDir = await tempDir();
      let server = await nats(natsDir);
      const port = server.port;
      const dir = await tempDir();
      const store = openLmdbStore(dir);
      cleanups.push(() => store.close());
      const bus = await NatsChangeBus.connect({ url: server.url, region: 'us-east-1', publishTimeoutMs: 1000 });
      cleanups.push(() => bus.close());
      const errors: unknown[] = [];
      const publisher = make({ store, dir, url: server.url, bus, onError: (e) => errors.push(e) });
      publisher.start();
      cleanups.push(() => publisher.stop());
      const writer = keepWriting(store, 0);
      // Killed while groups are in flight: some were stored without their acks arriving.
      while (publisher.publishedLsn < 300) await new Promise((resolve) => setTimeout(resolve, 2));
      await server.kill();
      await write(store, 100_000, 500); // committed while the stream is unreachable
      server = await nats(natsDir, port);
      const written = await writer.stop();
      await publisher.drained(30_000);
      expectExactlyInOrder(await streamGroups(server.url), written + 500);
      expect(errors.length).toBeGreaterThan(0);
    });

    it('resumes after its own restart without re-publishing or skipping', async () => {
      const server = await nats(await tempDir());
      const dir = await tempDir();
      let store = openLmdbStore(dir);
      const bus = await NatsChangeBus.connect({ url: server.url, region: 'us-east-1' });
      cleanups.push(() => bus.close());
      let publisher = make({ store, dir, url: server.url, bus });
      publisher.start();
      await write(store, 0, 300);
      await publisher.drained();
      await publisher.stop();
      await write(store, 300, 200);
      await store.close();
      store = openLmdbStore(dir);
      cleanups.push(() => store.close());
      publisher = make({ store, dir, url: server.url, bus });
      publisher.start();
      cleanups.push(() => publisher.stop());
      await publisher.drained();
      expectExactlyInOrder(await streamGroups(server.url), 500);
    });
  });
}

/** Only on a thread of its own: it starts while its nats-server is down, and reports what each acknowledgement covered. */
describe('a publisher on a thread of its own', () => {
  it('starts while its nats-server is down, publishes once it is up, and reports what each acknowledgement covered', async () => {
    const natsDir = await tempDir();
    const first = await startNatsServer({ storeDir: natsDir });
    const { port, url } = first;
    await first.kill();
    const dir = await tempDir();
    const store = openLmdbStore(dir);
    cleanups.push(() => store.close());
    const logged: string[] = [];
    const publisher = new PublisherThread({ region: 'us-east-1', store, clock: new SystemClock(), natsUrl: url, dataDir: dir, durability: 'process', log: (message) => logged.push(message) });
    const acked: number[] = [];
    publisher.observe((commitTimesMs, ackedAtMs) => {
      for (const commitTimeMs of commitTimesMs) acked.push(ackedAtMs - commitTimeMs);
    });
    publisher.start();
    cleanups.push(() => publisher.stop());
    await write(store, 0, 200);
    // The thread says it cannot reach the server before the server is back.
    while (!logged.length) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(logged[0]).toMatch(/retrying/);
    const server = await startNatsServer({ storeDir: natsDir, port });
    cleanups.push(() => server.stop());
    await publisher.drained(30_000);
    expect((await streamGroups(url)).flatMap((g) => g.changes).map((c) => c.lsn)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(acked).toHaveLength(200);
    expect(acked.every((lagMs) => lagMs > 0)).toBe(true);
    expect(publisher.status()).toMatchObject({ publishedLsn: 200, committedLsn: 200, ownLsn: 200, ownCount: 200, stuck: null });
  });
});
