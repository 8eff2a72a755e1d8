import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { open } from 'lmdb';
import { KEY_LAYOUT_VERSION } from '../../src/core/keys.js';
import { StoreLayoutError } from '../../src/storage/keyLayout.js';
import { openLmdbStore } from '../../src/storage/lmdb.js';
import type { ItemRecord, NewChange, Store } from '../../src/storage/store.js';
import { runStoreContract } from './store.contract.js';

runStoreContract('lmdb', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'globaltables-store-'));
  const fixture = {
    store: openLmdbStore(dir) as Store,
    reopen: async () => { await fixture.store.close(); return openLmdbStore(dir); },
    cleanup: async () => { await fixture.store.close(); await rm(dir, { recursive: true, force: true }); },
  };
  return fixture;
});

describe('lmdb group commit', () => {
  it('abandons a whole transaction whose write could not be stored, and stays consistent', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'globaltables-abort-'));
    const store = openLmdbStore(dir);
    try {
      await store.write((txn) => { txn.appendChange(change('before')); });
      const key = (n: number): Uint8Array => new Uint8Array(n).fill(7);
      // LMDB refuses keys over 4026 bytes (8 KiB pages); DynamoDB's own key limits stay below that.
      const results = await Promise.allSettled([
        store.write((txn) => { txn.putTable('t', { id: 1 }); txn.putItem(1, key(8), record()); txn.appendChange(change('a')); }),
        store.write((txn) => { txn.putItem(1, key(5000), record()); txn.appendChange(change('b')); }),
        store.write((txn) => { txn.appendChange(change('c')); }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(store.read((txn) => [txn.getTable('t'), txn.getItem(1, key(8))])).toEqual([undefined, undefined]);
      expect(store.changesAfter(0, 10).map((c) => c.table)).toEqual(['before']);
      expect(store.lastLsn()).toBe(1);
      // The next write takes the next lsn: nothing the abandoned transaction reserved is left over.
      const lsn = await store.write((txn) => txn.appendChange(change('after')));
      expect(lsn).toBe(2);
      expect(store.changesAfter(0, 10).map((c) => [c.lsn, c.table])).toEqual([[1, 'before'], [2, 'after']]);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

const record = (): ItemRecord => ({ item: { pk: { S: 'x' } }, version: { ts: 1, counter: 0, region: 'r' }, origin: 'r', writtenAtMs: 1 });
const change = (table: string): NewChange => ({
  table, eventName: 'INSERT', keys: { pk: { S: 'x' } }, version: { ts: 1, counter: 0, region: 'r' }, origin: 'r', commitTimeMs: 1,
});

describe('lmdb records encoded ahead', () => {
  it('writes the bytes it is given as they are, without encoding the record again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'globaltables-encoded-'));
    const store = openLmdbStore(dir);
    try {
      const packr = new Packr({ useRecords: false });
      // Bytes that differ from the record on purpose: what is stored shows which of the two was written.
      const marked = { ...record(), origin: 'from-the-bytes' };
      const tail = { table: 'from-the-tail', keys: { pk: { S: 'x' } }, version: { ts: 1, counter: 0, region: 'r' }, origin: 'r' };
      await store.write((txn) => {
        txn.putItem(1, new Uint8Array([1]), record(), packr.pack(marked).slice());
        txn.appendChange(change('t'), packr.pack(tail).slice());
      });
      expect(store.read((txn) => txn.getItem(1, new Uint8Array([1])))).toEqual(marked);
      expect(store.changesAfter(0, 1)).toEqual([{ ...tail, eventName: 'INSERT', commitTimeMs: 1, lsn: 1 }]);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('lmdb durability', () => {
  it('keeps every acknowledged write when the writing process is SIGKILLed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'globaltables-kill-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../helpers/storeWriter.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
      const acknowledged: number[] = [];
      let buffer = '';
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          const lines = buffer.split('\n');
          buffer = lines.pop()!;
          for (const line of lines) if (line) acknowledged.push(Number(line));
          if (acknowledged.length >= 300 && !child.killed) { child.kill('SIGKILL'); }
        });
        child.on('exit', () => resolve());
      });
      expect(acknowledged.length).toBeGreaterThanOrEqual(300);
      const store = openLmdbStore(dir);
      try {
        const logged = new Set(store.changesAfter(0, 1_000_000).map((c) => c.lsn));
        const missing = acknowledged.filter((lsn) => !logged.has(lsn));
        expect(missing).toEqual([]);
        expect(store.lastLsn()).toBeGreaterThanOrEqual(Math.max(...acknowledged));
      } finally {
        await store.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('lmdb key layout', () => {
  /** Rewrites the recorded layout as an older or newer version would have left it (undefined: not recorded). */
  async function recordLayout(dir: string, layout: number | undefined): Promise<void> {
    const root = open({ path: dir, maxDbs: 8 });
    const meta = root.openDB<unknown, string>({ name: 'meta' });
    if (layout === undefined) await meta.remove('store:keyLayout');
    else await meta.put('store:keyLayout', layout);
    await root.close();
  }

  async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'globaltables-layout-'));
    try {
      await fn(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async function storeWithItem(dir: string): Promise<void> {
    const store = openLmdbStore(dir);
    await store.write((txn) => { txn.putTable('t', { id: 1 }); txn.putItem(1, new Uint8Array([1]), record()); });
    await store.close();
  }

  it('records its layout in a new store and opens it again', async () => {
    await withDir(async (dir) => {
      await storeWithItem(dir);
      const store = openLmdbStore(dir);
      expect(store.read((txn) => [txn.getMeta('store:keyLayout'), txn.getItem(1, new Uint8Array([1]))?.origin])).toEqual([KEY_LAYOUT_VERSION, 'r']);
      await store.close();
    });
  });

  it('refuses items written before the layout was recorded, saying what to do', async () => {
    await withDir(async (dir) => {
      await storeWithItem(dir);
      await recordLayout(dir, undefined);
      expect(() => openLmdbStore(dir)).toThrow(StoreLayoutError);
      expect(() => openLmdbStore(dir)).toThrow(/written with key layout 1, and this version reads key layout 2.*empty data directory/);
    });
  });

  it('refuses items written with a layout of another version', async () => {
    await withDir(async (dir) => {
      await storeWithItem(dir);
      await recordLayout(dir, KEY_LAYOUT_VERSION + 1);
      expect(() => openLmdbStore(dir)).toThrow(StoreLayoutError);
    });
  });

  it('adopts an unrecorded store that holds no items: nothing in it depends on the layout', async () => {
    await withDir(async (dir) => {
      const store = openLmdbStore(dir);
      await store.write((txn) => { txn.putTable('t', { id: 1 }); txn.putMeta('cursor', 5); });
      await store.close();
      await recordLayout(dir, undefined);
      const reopened = openLmdbStore(dir);
      expect(reopened.read((txn) => [txn.getTable('t'), txn.getMeta('cursor'), txn.getMeta('store:keyLayout')])).toEqual([{ id: 1 }, 5, KEY_LAYOUT_VERSION]);
      await reopened.close();
    });
  });
});
