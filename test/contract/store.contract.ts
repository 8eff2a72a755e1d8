/** The Store seam's contract: the LMDB and the in-memory store must both pass every case. */
import { Packr } from 'msgpackr';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreClosedError } from '../../src/storage/groupCommit.js';
import type { ItemRecord, NewChange, Store } from '../../src/storage/store.js';

export interface StoreFixture {
  store: Store;
  reopen?: () => Promise<Store>;
  cleanup: () => Promise<void>;
}

const version = (ts: number) => ({ ts, counter: 0, region: 'us-east-1' });
const record = (value: string, ts = 1): ItemRecord => ({ item: { pk: { S: value } }, version: version(ts), origin: 'us-east-1', writtenAtMs: ts });
const key = (...bytes: number[]) => new Uint8Array(bytes);
const change = (n: number): NewChange => ({
  table: 't', eventName: 'INSERT', keys: { pk: { S: `k${n}` } }, newImage: { pk: { S: `k${n}` } },
  version: version(n), origin: 'us-east-1', commitTimeMs: n,
});

export function runStoreContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`Store contract: ${name}`, () => {
    let fixture: StoreFixture | undefined;
    const start = async (): Promise<Store> => { fixture = await open(); return fixture.store; };
    afterEach(async () => { await fixture?.cleanup(); fixture = undefined; });

    it('puts, gets and removes items; tombstones are records too', async () => {
      const store = await start();
      await store.write((txn) => txn.putItem(1, key(1), record('a')));
      expect(store.read((txn) => txn.getItem(1, key(1)))).toEqual(record('a'));
      await store.write((txn) => txn.putItem(1, key(1), { item: null, version: version(2), origin: 'us-east-1', writtenAtMs: 2, deletedAtMs: 5 }));
      expect(store.read((txn) => txn.getItem(1, key(1)))).toEqual({ item: null, version: version(2), origin: 'us-east-1', writtenAtMs: 2, deletedAtMs: 5 });
      await store.write((txn) => txn.removeItem(1, key(1)));
      expect(store.read((txn) => txn.getItem(1, key(1)))).toBeUndefined();
    });

    it('reads back a record given with its encoding (storage/preEncoded.ts) like one without', async () => {
      const store = await start();
      const packr = new Packr({ useRecords: false });
      const tail = { table: 't', keys: { pk: { S: 'k1' } }, newImage: { pk: { S: 'k1' } }, version: version(1), origin: 'us-east-1' };
      await store.write((txn) => {
        txn.putItem(1, key(1), record('a'), packr.pack(record('a')).slice());
        txn.appendChange({ ...tail, eventName: 'INSERT', commitTimeMs: 1 }, packr.pack(tail).slice());
      });
      expect(store.read((txn) => txn.getItem(1, key(1)))).toEqual(record('a'));
      expect(store.changesAfter(0, 10)).toEqual([{ ...tail, eventName: 'INSERT', commitTimeMs: 1, lsn: 1 }]);
    });

    it('ranges in byte order with bounds, reverse and limit, isolated per table', async () => {
      const store = await start();
      const keys = [key(0x00), key(0x01), key(0x01, 0x00), key(0x01, 0xff), key(0x02), key(0xff), key(0xff, 0xff)];
      await store.write((txn) => {
        for (const k of [...keys].reverse()) txn.putItem(7, k, record(Array.from(k).join('.')));
        txn.putItem(8, key(0x01), record('other table'));
        txn.putItem(6, key(0x01), record('other table'));
      });
      const all = store.read((txn) => [...txn.range(7)].map((e) => Array.from(e.key)));
      expect(all).toEqual(keys.map((k) => Array.from(k)));
      const bounded = store.read((txn) => [...txn.range(7, { start: key(0x01), end: key(0x02) })].map((e) => Array.from(e.key)));
      expect(bounded).toEqual([[1], [1, 0], [1, 255]]);
      const reversed = store.read((txn) => [...txn.range(7, { start: key(0x01), end: key(0x02), reverse: true })].map((e) => Array.from(e.key)));
      expect(reversed).toEqual([[1, 255], [1, 0], [1]]);
      const limited = store.read((txn) => [...txn.range(7, { reverse: true, limit: 2 })].map((e) => Array.from(e.key)));
      expect(limited).toEqual([[255, 255], [255]]);
      await store.write((txn) => txn.clearItems(7));
      expect(store.read((txn) => [...txn.range(7)])).toEqual([]);
      expect(store.read((txn) => txn.getItem(8, key(0x01)))?.item).toEqual({ pk: { S: 'other table' } });
      expect(store.read((txn) => txn.getItem(6, key(0x01)))?.item).toEqual({ pk: { S: 'other table' } });
    });

    it('applies nothing from a write that throws', async () => {
      const store = await start();
      await expect(store.write((txn) => {
        txn.putItem(1, key(1), record('x'));
        txn.putTable('t', { id: 1 });
        txn.putMeta('m', 1);
        txn.appendChange(change(1));
        throw new Error('boom');
      })).rejects.toThrow('boom');
      expect(store.read((txn) => [txn.getItem(1, key(1)), txn.getTable('t'), txn.getMeta('m'), txn.listTableNames()])).toEqual([undefined, undefined, undefined, []]);
      expect(store.lastLsn()).toBe(0);
      expect(store.changesAfter(0, 10)).toEqual([]);
      expect(await store.write((txn) => txn.appendChange(change(2)))).toBe(1);
    });

    it('lets a write read its own point writes', async () => {
      const store = await start();
      const seen = await store.write((txn) => {
        txn.putItem(1, key(9), record('mine'));
        txn.putMeta('counter', 41);
        txn.putMeta('counter', (txn.getMeta<number>('counter') ?? 0) + 1);
        return [txn.getItem(1, key(9))?.item, txn.getMeta('counter')];
      });
      expect(seen).toEqual([{ pk: { S: 'mine' } }, 42]);
    });

    it('shows a write\'s change to whoever awaited it, and has told listeners by then', async () => {
      const store = await start();
      const heard: number[] = [];
      store.onCommit((lsn) => heard.push(lsn));
      const lsn = await store.write((txn) => txn.appendChange(change(1)));
      expect([store.lastLsn(), store.changesAfter(lsn - 1, 1).map((c) => c.lsn), heard]).toEqual([lsn, [lsn], [lsn]]);
    });

    it('gives concurrent writes gap-free lsns in commit order, and tells listeners', async () => {
      const store = await start();
      const heard: number[] = [];
      store.onCommit((lsn) => heard.push(lsn));
      const lsns = await Promise.all(Array.from({ length: 200 }, (_, i) => store.write((txn) => txn.appendChange(change(i)))));
      expect([...lsns].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      const log = store.changesAfter(0, 1000);
      expect(log.map((c) => c.lsn)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(log.every((c, i) => c.keys.pk && 'S' in c.keys.pk && c.keys.pk.S === `k${lsns.indexOf(i + 1)}`)).toBe(true);
      expect(store.lastLsn()).toBe(200);
      expect(Math.max(...heard)).toBe(200);
      expect(store.changesAfter(150, 10).map((c) => c.lsn)).toEqual([151, 152, 153, 154, 155, 156, 157, 158, 159, 160]);
      await store.trimChanges(100);
      expect(store.changesAfter(0, 1)[0].lsn).toBe(101);
    });

    it('hands out copies: mutating a returned record changes nothing stored', async () => {
      const store = await start();
      await store.write((txn) => txn.putItem(1, key(1), record('orig')));
      const got = store.read((txn) => txn.getItem(1, key(1)))!;
      (got.item as Record<string, unknown>).pk = { S: 'mutated' };
      expect(store.read((txn) => txn.getItem(1, key(1)))?.item).toEqual({ pk: { S: 'orig' } });
    });

    it('keeps tables and meta', async () => {
      const store = await start();
      await store.write((txn) => { txn.putTable('b', { id: 2 }); txn.putTable('a', { id: 1 }); txn.putMeta('x', { y: 1 }); });
      expect(store.read((txn) => txn.listTableNames().sort())).toEqual(['a', 'b']);
      await store.write((txn) => txn.removeTable('a'));
      expect(store.read((txn) => [txn.listTableNames(), txn.getTable('b'), txn.getMeta('x')])).toEqual([['b'], { id: 2 }, { y: 1 }]);
    });

    it('shows nothing of a write before it commits: not to readers, not to listeners', async () => {
      const store = await start();
      const heard: number[] = [];
      store.onCommit((lsn) => heard.push(lsn));
      const written = store.write((txn) => { txn.putItem(1, key(1), record('a')); txn.appendChange(change(1)); });
      const seen = (): unknown[] => [store.read((txn) => txn.getItem(1, key(1))), store.lastLsn(), store.changesAfter(0, 10).map((c) => c.lsn), [...heard]];
      expect(seen()).toEqual([undefined, 0, [], []]);
      await written;
      expect(seen()).toEqual([record('a'), 1, [1], [1]]);
    });

    it('runs the writes asked for together in order, each seeing those before it; one that throws takes nothing from the others', async () => {
      const store = await start();
      const results = await Promise.allSettled([
        store.write((txn) => { txn.putMeta('n', 1); txn.putItem(1, key(1), record('a')); return txn.appendChange(change(1)); }),
        store.write((txn) => { txn.putMeta('n', 100); txn.putItem(1, key(2), record('b')); txn.appendChange(change(2)); throw new RangeError('refused'); }),
        store.write((txn) => { txn.putMeta('n', (txn.getMeta<number>('n') ?? 0) + 1); txn.putItem(1, key(3), record('c')); return txn.appendChange(change(3)); }),
      ]);
      expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).constructor))).toEqual([1, RangeError, 2]);
      expect(store.read((txn) => [txn.getMeta('n'), [...txn.range(1)].map((e) => e.record.item)])).toEqual([2, [{ pk: { S: 'a' } }, { pk: { S: 'c' } }]]);
      expect(store.changesAfter(0, 10).map((c) => [c.lsn, c.commitTimeMs])).toEqual([[1, 1], [2, 3]]);
    });

    it('commits the writes asked for before close, and rejects a write asked for after', async () => {
      const store = await start();
      const before = store.write((txn) => txn.appendChange(change(1)));
      await store.close();
      expect(await before).toBe(1);
      await expect(store.write((txn) => txn.appendChange(change(2)))).rejects.toBeInstanceOf(StoreClosedError);
    });

    it('keeps everything across a reopen and continues the lsns', async () => {
      const store = await start();
      if (!fixture?.reopen) return;
      await store.write((txn) => { txn.putItem(3, key(3), record('kept')); txn.appendChange(change(1)); txn.appendChange(change(2)); });
      const reopened = await fixture.reopen();
      fixture.store = reopened;
      expect(reopened.read((txn) => txn.getItem(3, key(3)))?.item).toEqual({ pk: { S: 'kept' } });
      expect(reopened.lastLsn()).toBe(2);
      expect(await reopened.write((txn) => txn.appendChange(change(3)))).toBe(3);
    });
  });
}
