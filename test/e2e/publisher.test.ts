import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/clock/clock.js';
import { NatsChangeBus } from '../../src/bus/natsBus.js';
import { Publisher } from '../../src/bus/publisher.js';
import type { ChangeMessage } from '../../src/bus/wire.js';
import { streamMessages } from '../helpers/nats.js';
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


function expectExactlyInOrder(messages: ChangeMessage[], count: number): void {
  expect(messages.map((m) => m.lsn)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  expect(new Set(messages.map((m) => (m.keys.pk as { S: string }).S)).size).toBe(count);
  expect(messages[0]).toMatchObject({ schemaVersion: 2, eventName: 'INSERT', table: 'orders', region: 'us-east-1', origin: 'us-east-1' });
}

describe('publisher (outbox drain to JetStream)', () => {
  it('publishes N writes as exactly N messages in lsn order', async () => {
    const server = await nats(await tempDir());
    const store = openLmdbStore(await tempDir());
    cleanups.push(() => store.close());
    const bus = await NatsChangeBus.connect({ url: server.url, region: 'us-east-1' });
    cleanups.push(() => bus.close());
    const publisher = new Publisher({ region: 'us-east-1', store, bus, clock: new SystemClock() });
    publisher.start();
    await write(store, 0, 1000);
    await publisher.drained();
    expectExactlyInOrder(await streamMessages(server.url), 1000);
    // The cursor is saved now and then while publishing, and always when the publisher stops.
    await publisher.stop();
    expect(store.read((txn) => txn.getMeta('publisher.cursor'))).toBe(1000);
  });

  it('loses, duplicates and reorders nothing when the nats-server is SIGKILLed and restarted mid-run', async () => {
    const natsDir = await tempDir();
    let server = await nats(natsDir);
    const port = server.port;
    const store = openLmdbStore(await tempDir());
    cleanups.push(() => store.close());
    const bus = await NatsChangeBus.connect({ url: server.url, region: 'us-east-1', publishTimeoutMs: 1000 });
    cleanups.push(() => bus.close());
    const errors: unknown[] = [];
    const publisher = new Publisher({ region: 'us-east-1', store, bus, clock: new SystemClock(), onError: (e) => errors.push(e) });
    publisher.start();
    cleanups.push(() => publisher.stop());
    await write(store, 0, 500);
    await server.kill();
    await write(store, 500, 500); // committed while the stream is unreachable
    server = await nats(natsDir, port);
    await write(store, 1000, 500);
    await publisher.drained(30_000);
    expectExactlyInOrder(await streamMessages(server.url), 1500);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('resumes after its own restart without re-publishing or skipping', async () => {
    const server = await nats(await tempDir());
    const dir = await tempDir();
    let store = openLmdbStore(dir);
    const bus = await NatsChangeBus.connect({ url: server.url, region: 'us-east-1' });
    cleanups.push(() => bus.close());
    let publisher = new Publisher({ region: 'us-east-1', store, bus, clock: new SystemClock() });
    publisher.start();
    await write(store, 0, 300);
    await publisher.drained();
    await publisher.stop();
    await write(store, 300, 200);
    await store.close();
    store = openLmdbStore(dir);
    cleanups.push(() => store.close());
    publisher = new Publisher({ region: 'us-east-1', store, bus, clock: new SystemClock() });
    publisher.start();
    cleanups.push(() => publisher.stop());
    await publisher.drained();
    expectExactlyInOrder(await streamMessages(server.url), 500);
  });
});
