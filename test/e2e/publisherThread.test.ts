/**
 * A publisher on its own thread (publisherThread.ts) beyond what the publisher suite checks of
 * both kinds: it starts while its nats-server is down and publishes once it is up, says which
 * changes each acknowledgement covered, and reports its status to the region's thread.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PublisherThread } from '../../src/bus/publisherThread.js';
import { startNatsServer } from '../../src/nats/launcher.js';
import { openLmdbStore } from '../../src/storage/lmdb.js';
import type { Store } from '../../src/storage/store.js';
import { streamGroups } from '../helpers/nats.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => { while (cleanups.length) await cleanups.pop()!(); });

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'globaltables-pubthread-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function write(store: Store, from: number, count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, (_, i) => store.write((txn) => txn.appendChange({
    table: 'orders', eventName: 'INSERT', keys: { pk: { S: `k${from + i}` } }, newImage: { pk: { S: `k${from + i}` } },
    version: { ts: from + i, counter: 0, region: 'us-east-1' }, origin: 'us-east-1', commitTimeMs: Date.now() - 1,
  }))));
}

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
    const publisher = new PublisherThread({ region: 'us-east-1', store, natsUrl: url, dataDir: dir, durability: 'process', log: (message) => logged.push(message) });
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
