/**
 * The in-memory Store: same semantics as LMDB, for the simulator and fast tests. It commits as
 * LMDB does, through GroupCommit: the writes asked for in one turn commit together when `defer`
 * fires, and only then change the committed data (memoryData.ts) — so a store dropped before that
 * (crashMemoryStore) loses them, as a killed region loses what it had not committed.
 */
import { deferToNextTurn } from '../clock/clock.js';
import { GroupCommit } from './groupCommit.js';
import { cloneData, emptyMemoryData, fromKey, tablePrefix, toKey, type MemoryData } from './memoryData.js';
import type { ChangeRecord, ItemRecord, KeyedRecord, NewChange, RangeOptions, Store, StoreTxn } from './store.js';

export type { MemoryData } from './memoryData.js';
export { StoreClosedError } from './groupCommit.js';

export interface MemoryStoreOptions {
  /** Runs the commit of the writes asked for in one turn; by default after that turn's I/O, as LMDB commits. */
  defer?: (fn: () => void) => void;
  /** Committed data to open on (memoryDataOf or crashMemoryStore of an earlier store); empty by default. */
  data?: MemoryData;
}

/** memoryDataOf or crashMemoryStore given a store that is not an in-memory one. */
export class NotAMemoryStoreError extends Error {
  constructor() {
    super('not an in-memory store');
    this.name = 'NotAMemoryStoreError';
  }
}

const copy = cloneData;

/** Index of the first change with lsn > afterLsn (the log is in lsn order). */
function firstAfter(changes: ChangeRecord[], afterLsn: number): number {
  let lo = 0;
  let hi = changes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (changes[mid].lsn <= afterLsn) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One transaction over committed data. Writes are buffered (point reads see them) and applied by
 * commit(), which group commit calls when the callback returned: a callback that throws changes
 * nothing. A class rather than closures: a store makes one per operation.
 */
class MemoryTxn implements StoreTxn {
  private readonly writes: (() => void)[] = [];
  private readonly overlay = new Map<string, unknown>();
  private pendingLsn: number;

  constructor(private readonly data: MemoryData, private readonly writable: boolean) {
    this.pendingLsn = data.lastLsn;
  }

  commit(): void {
    for (const apply of this.writes) apply();
  }

  private write(overlayKey: string, value: unknown, apply: () => void): void {
    if (!this.writable) throw new Error('write in a read transaction');
    this.overlay.set(overlayKey, value);
    this.writes.push(apply);
  }

  private read(overlayKey: string, committed: unknown): unknown {
    return this.overlay.has(overlayKey) ? this.overlay.get(overlayKey) : committed;
  }

  getTable<T>(name: string): T | undefined {
    return copy(this.read(`t:${name}`, this.data.tables.get(name)) as T | undefined);
  }

  putTable(name: string, meta: unknown): void {
    const value = copy(meta);
    this.write(`t:${name}`, value, () => this.data.tables.set(name, value));
  }

  removeTable(name: string): void {
    this.write(`t:${name}`, undefined, () => this.data.tables.delete(name));
  }

  listTableNames(): string[] {
    return [...this.data.tables.keys()];
  }

  getItem(tableId: number, key: Uint8Array): ItemRecord | undefined {
    const full = tablePrefix(tableId) + toKey(key);
    return copy(this.read(`i:${full}`, this.data.items.get(full)) as ItemRecord | undefined);
  }

  putItem(tableId: number, key: Uint8Array, record: ItemRecord): void {
    const full = tablePrefix(tableId) + toKey(key);
    const value = copy(record);
    this.write(`i:${full}`, value, () => { this.data.items.set(full, value); this.data.order.add(full); });
  }

  removeItem(tableId: number, key: Uint8Array): void {
    const full = tablePrefix(tableId) + toKey(key);
    this.write(`i:${full}`, undefined, () => { this.data.items.delete(full); this.data.order.remove(full); });
  }

  clearItems(tableId: number): void {
    const prefix = tablePrefix(tableId);
    this.write(`clear:${tableId}`, true, () => {
      for (const full of this.data.order.between(prefix, tablePrefix(tableId + 1))) {
        this.data.items.delete(full);
        this.data.order.remove(full);
      }
    });
  }

  *range(tableId: number, options: RangeOptions = {}): Iterable<KeyedRecord> {
    const prefix = tablePrefix(tableId);
    const start = prefix + (options.start ? toKey(options.start) : '');
    const end = options.end ? prefix + toKey(options.end) : tablePrefix(tableId + 1);
    const keys = this.data.order.between(start, end);
    if (options.reverse) keys.reverse();
    let count = 0;
    for (const full of keys) {
      if (options.limit !== undefined && count >= options.limit) return;
      const record = this.data.items.get(full);
      if (!record) continue;
      count += 1;
      yield { key: fromKey(full.slice(prefix.length)), record: copy(record) };
    }
  }

  appendChange(change: NewChange): number {
    this.pendingLsn += 1;
    const record: ChangeRecord = { ...copy(change), lsn: this.pendingLsn };
    this.write(`c:${this.pendingLsn}`, record, () => { this.data.changes.push(record); this.data.lastLsn = record.lsn; });
    return this.pendingLsn;
  }

  getMeta<T>(key: string): T | undefined {
    return copy(this.read(`m:${key}`, this.data.meta.get(key)) as T | undefined);
  }

  putMeta(key: string, value: unknown): void {
    const stored = copy(value);
    this.write(`m:${key}`, stored, () => this.data.meta.set(key, stored));
  }
}

interface MemoryStoreHandle {
  data: MemoryData;
  crash(): void;
  queued(): number;
}

const handles = new WeakMap<Store, MemoryStoreHandle>();

/** A promise that never settles: the answer to a write a crashed store was asked for. */
const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const data = options.data ?? emptyMemoryData();
  const listeners = new Set<(lastLsn: number) => void>();
  /** What readers and listeners have been shown: data.lastLsn runs ahead of it only inside a batch. */
  let committedLsn = data.lastLsn;
  let crashed = false;
  // Applying buffered writes to maps cannot fail halfway, so a batch needs no transaction around it.
  const commits = new GroupCommit((body) => body(), {
    defer: options.defer ?? deferToNextTurn,
    afterCommit() {
      if (data.lastLsn <= committedLsn) return;
      committedLsn = data.lastLsn;
      for (const listener of listeners) listener(committedLsn);
    },
  });
  /** Runs fn in the next batch, unless the store is closed (rejects) or crashed (never settles). */
  const inBatch = <T>(fn: () => T): Promise<T> => (crashed ? never() : commits.run(fn));

  const store: Store = {
    write<T>(fn: (txn: StoreTxn) => T): Promise<T> {
      return inBatch(() => {
        const txn = new MemoryTxn(data, true);
        const result = fn(txn);
        txn.commit();
        return result;
      });
    },
    read<T>(fn: (txn: StoreTxn) => T): T {
      return fn(new MemoryTxn(data, false));
    },
    changesAfter(afterLsn, limit) {
      const out: ChangeRecord[] = [];
      for (let i = firstAfter(data.changes, afterLsn); i < data.changes.length && out.length < limit; i += 1) {
        if (data.changes[i].lsn > committedLsn) break;
        out.push(copy(data.changes[i]));
      }
      return out;
    },
    lastLsn: () => committedLsn,
    trimChanges(uptoLsn) {
      // A write like any other: it commits with its turn's batch, as LMDB's does.
      return inBatch(() => { data.changes.splice(0, firstAfter(data.changes, uptoLsn)); });
    },
    onCommit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      // Writes already asked for commit first (a crashed store has none left).
      if (!crashed) await commits.close();
    },
  };
  handles.set(store, {
    data,
    crash() {
      crashed = true;
      commits.discardQueued();
      listeners.clear();
    },
    queued: () => commits.queuedCount,
  });
  return store;
}

function handleOf(store: Store): MemoryStoreHandle {
  const handle = handles.get(store);
  if (!handle) throw new NotAMemoryStoreError();
  return handle;
}

/** Writes the store was asked for and has not committed yet: what a crash now would lose. */
export function queuedWrites(store: Store): number {
  return handleOf(store).queued();
}

/** The committed data of an in-memory store (live, not a copy): what a store opened on it would hold. */
export function memoryDataOf(store: Store): MemoryData {
  return handleOf(store).data;
}

/**
 * The store's process dies: the writes asked for and not committed are lost (they never settle, as
 * nothing of a killed process runs on), and the store takes no more writes. Returns the committed
 * data, to open the region's next store on (createMemoryStore({ data })).
 */
export function crashMemoryStore(store: Store): MemoryData {
  const handle = handleOf(store);
  handle.crash();
  return handle.data;
}
