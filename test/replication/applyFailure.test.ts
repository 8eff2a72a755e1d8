import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { openLmdbStore } from '../../src/storage/lmdb.js';
import type { Store, StoreTxn } from '../../src/storage/store.js';
import { allKeys, createGlobalTable, eventually, startCluster, waitConverged, type TestCluster } from '../helpers/cluster.js';

/**
 * A store whose next replication batch, once armed, fails: nothing of it is written, and its
 * caller learns so only after the store has run the batch handed over behind it (a commit that
 * fails late), which must then not apply past it.
 */
class FailingBatchStore implements Store {
  armed = false;
  failed = 0;
  private nextBatchRan: (() => void) | undefined;

  constructor(private readonly inner: Store) {}

  async write<T>(fn: (txn: StoreTxn) => T): Promise<T> {
    let failing = false;
    const written = this.inner.write((txn) => {
      let checkpoint = false;
      const watched = new Proxy(txn, {
        get: (target, property) => {
          const value = Reflect.get(target, property) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if ((property === 'getMeta' || property === 'putMeta') && String(args[0]).startsWith('replicator.checkpoint.')) checkpoint = true;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
      try {
        const result = fn(watched);
        if (checkpoint && this.armed) {
          this.armed = false;
          failing = true;
          throw new Error('simulated failure of a replication batch');
        }
        return result;
      } finally {
        if (checkpoint && !failing) this.nextBatchRan?.();
      }
    });
    try {
      return await written;
    } catch (error) {
      if (!failing) throw error;
      this.failed += 1;
      await new Promise<void>((resolve) => {
        this.nextBatchRan = resolve;
        setTimeout(resolve, 2_000);
      });
      this.nextBatchRan = undefined;
      throw error;
    }
  }

  read<T>(fn: (txn: StoreTxn) => T): T { return this.inner.read(fn); }
  changesAfter(afterLsn: number, limit: number) { return this.inner.changesAfter(afterLsn, limit); }
  lastLsn() { return this.inner.lastLsn(); }
  trimChanges(uptoLsn: number) { return this.inner.trimChanges(uptoLsn); }
  onCommit(listener: (lastLsn: number) => void) { return this.inner.onCommit(listener); }
  close() { return this.inner.close(); }
}

let cluster: TestCluster;
let store: FailingBatchStore;
const dir = mkdtempSync(join(tmpdir(), 'apply-failure-'));
beforeAll(async () => {
  store = new FailingBatchStore(openLmdbStore(dir));
  cluster = await startCluster(['us-east-1', 'eu-west-1'], {}, (name) => (name === 'eu-west-1' ? { store } : {}));
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a replication batch that fails to commit', () => {
  it('is applied again, and the batches handed over after it are not applied past it', async () => {
    const [east, west] = cluster.regions;
    await createGlobalTable(cluster, 'ledger');
    await cluster.admin(west.name, `/admin/links/${east.name}`, { method: 'PUT', body: { stalled: true } });
    const count = 6000;
    for (let from = 0; from < count; from += 25 * 8) {
      await Promise.all(Array.from({ length: 8 }, (_, b) => east.doc.send(new BatchWriteCommand({
        RequestItems: { ledger: Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: `entry-${from + b * 25 + i}` } } })) },
      }))));
    }
    await east.region.publisher!.drained();
    store.armed = true;
    await cluster.admin(west.name, `/admin/links/${east.name}/heal`, { method: 'POST' });
    await eventually(async () => (await allKeys(west.doc, 'ledger')).size === count, 30_000, `all ${count} items in ${west.name}`);
    await waitConverged(cluster.regions.map((r) => ({ name: r.name, admin: <T>(path: string) => cluster.admin<T>(r.name, path) })), 'ledger');
    expect(store.failed).toBe(1);
  });
});
