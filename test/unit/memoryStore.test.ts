import { describe, expect, it } from 'vitest';
import { crashMemoryStore, createMemoryStore, memoryDataOf, NotAMemoryStoreError } from '../../src/storage/memory.js';
import type { NewChange, Store } from '../../src/storage/store.js';
import { cloneData } from '../../src/storage/memoryData.js';

const change = (n: number): NewChange => ({
  table: 't', eventName: 'INSERT', keys: { pk: { S: `k${n}` } }, newImage: { pk: { S: `k${n}` } },
  version: { ts: n, counter: 0, region: 'us-east-1' }, origin: 'us-east-1', commitTimeMs: n,
});

/** A store whose commits wait until the test fires them, as the simulator's virtual time would. */
function manualStore(data?: ReturnType<typeof memoryDataOf>): { store: Store; commitNow: () => void; waiting: () => number } {
  const deferred: (() => void)[] = [];
  const store = createMemoryStore({ defer: (fn) => deferred.push(fn), ...(data ? { data } : {}) });
  return { store, commitNow: () => { for (const fn of deferred.splice(0)) fn(); }, waiting: () => deferred.length };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('the in-memory store commits in groups', () => {
  it('commits every write asked for before its defer fires in one batch, then tells listeners once', async () => {
    const { store, commitNow, waiting } = manualStore();
    const heard: number[] = [];
    store.onCommit((lsn) => heard.push(lsn));
    const writes = [1, 2, 3].map((n) => store.write((txn) => txn.appendChange(change(n))));
    await turn();
    expect([waiting(), store.lastLsn(), heard]).toEqual([1, 0, []]);
    commitNow();
    expect(await Promise.all(writes)).toEqual([1, 2, 3]);
    expect([store.lastLsn(), heard]).toEqual([3, [3]]);
  });

  it('keeps across a crash what was committed and loses what was not; the lost writes never settle', async () => {
    const first = manualStore();
    const committed = first.store.write((txn) => { txn.putMeta('kept', true); return txn.appendChange(change(1)); });
    first.commitNow();
    expect(await committed).toBe(1);
    let lostSettled = false;
    void first.store.write((txn) => { txn.putMeta('lost', true); txn.appendChange(change(2)); }).finally(() => { lostSettled = true; });
    const data = crashMemoryStore(first.store);
    // The dead store's pending commit may still fire (a timer the simulator did not cancel): it changes nothing.
    first.commitNow();
    void first.store.write((txn) => txn.putMeta('after the crash', true)).finally(() => { lostSettled = true; });
    first.commitNow();
    await turn();
    expect(lostSettled).toBe(false);

    const second = manualStore(data);
    expect(second.store.read((txn) => [txn.getMeta('kept'), txn.getMeta('lost'), txn.getMeta('after the crash')])).toEqual([true, undefined, undefined]);
    expect([second.store.lastLsn(), second.store.changesAfter(0, 10).map((c) => c.lsn)]).toEqual([1, [1]]);
    const next = second.store.write((txn) => txn.appendChange(change(3)));
    second.commitNow();
    expect(await next).toBe(2);
  });

  it('continues the lsns on reopen even when retention trimmed the whole log', async () => {
    const store = createMemoryStore();
    await Promise.all([1, 2, 3].map((n) => store.write((txn) => txn.appendChange(change(n)))));
    await store.trimChanges(3);
    await store.close();
    const reopened = createMemoryStore({ data: memoryDataOf(store) });
    expect([reopened.lastLsn(), reopened.changesAfter(0, 10)]).toEqual([3, []]);
    expect(await reopened.write((txn) => txn.appendChange(change(4)))).toBe(4);
    expect(reopened.changesAfter(0, 10).map((c) => c.lsn)).toEqual([4]);
  });

  it('refuses to give the data of a store that is not an in-memory one', () => {
    const notMemory = { ...createMemoryStore() } as Store;
    expect(() => memoryDataOf(notMemory)).toThrow(NotAMemoryStoreError);
  });
});

describe('cloneData, the in-memory store\'s copy of what it stores', () => {
  it('copies deeply, keeps bytes as bytes and an own __proto__ key as an ordinary key', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const original: Record<string, unknown> = JSON.parse('{"__proto__":{"S":"x"},"list":[{"N":"1"}],"m":{"a":null,"b":true}}');
    original.bin = bytes;
    const copied = cloneData(original);
    expect(copied).toEqual(original);
    expect(Object.hasOwn(copied, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(copied)).toBe(Object.prototype);
    expect(copied.bin).toBeInstanceOf(Uint8Array);
    expect(copied.bin).not.toBe(bytes);
    (copied.list as { N: string }[])[0].N = '2';
    bytes[0] = 9;
    expect((original.list as { N: string }[])[0].N).toBe('1');
    expect([...(copied.bin as Uint8Array)]).toEqual([1, 2, 3]);
  });

  it('copies what is not plain data the way structuredClone does', () => {
    const map = new Map([['k', { v: 1 }]]);
    const copied = cloneData({ map });
    expect(copied.map).toBeInstanceOf(Map);
    expect(copied.map).not.toBe(map);
    expect(copied.map.get('k')).toEqual({ v: 1 });
  });
});
