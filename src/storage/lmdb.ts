/** The LMDB Store: one environment per region data dir; the writes of one event-loop turn commit together (groupCommit.ts). */
import { mkdirSync } from 'node:fs';
import { asBinary, type Database } from 'lmdb';
import { deferToNextTurn } from '../clock/clock.js';
import { AbortCommitError, GroupCommit } from './groupCommit.js';
import { openDatabases, readChanges, type Databases } from './lmdbDatabases.js';
import { spliceChange } from './preEncoded.js';
import type { StoreEncryption } from './storeEncryption.js';
import type { ChangeRecord, ItemRecord, KeyedRecord, NewChange, RangeOptions, Store, StoreTxn } from './store.js';

function tablePrefix(tableId: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(tableId >>> 0);
  return out;
}

function itemKey(tableId: number, key: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(4 + key.length);
  out.writeUInt32BE(tableId >>> 0);
  out.set(key, 4);
  return out;
}

/** State shared by the store and its transactions. */
interface Shared {
  dbs: Databases;
  /** Table metadata, read on every request: kept decoded in memory (this process is the only writer). */
  tables: Map<string, unknown>;
  /** Highest lsn handed out by a transaction that applied; callbacks run one at a time. */
  assignedLsn: number;
}

function* rangeOf(dbs: Databases, tableId: number, options: RangeOptions): Iterable<KeyedRecord> {
  const prefix = tablePrefix(tableId);
  const start = Buffer.concat([prefix, options.start ?? new Uint8Array(0)]);
  const end = options.end ? Buffer.concat([prefix, options.end]) : tablePrefix(tableId + 1);
  let count = 0;
  const entries = options.reverse
    // lmdb's reverse ranges include their start, so begin at `end` and skip it.
    ? dbs.items.getRange({ start: end, end: prefix, reverse: true })
    : dbs.items.getRange({ start, end });
  for (const { key, value } of entries) {
    if (options.reverse) {
      if (Buffer.compare(key, end) >= 0) continue;
      if (Buffer.compare(key, start) < 0) break;
    }
    if (options.limit !== undefined && count >= options.limit) break;
    count += 1;
    yield { key: new Uint8Array(key.subarray(4)), record: value };
  }
}

/** An item's storage key, and the string that names it among a transaction's writes (made only when needed). */
interface FullKey {
  key: Buffer;
  id?: string;
}

const idOf = (full: FullKey): string => (full.id ??= full.key.toString('latin1'));

/** A buffered item write: the record to put (and its bytes, if they came encoded), or undefined to remove the key. */
interface PendingItem {
  key: Buffer;
  record: ItemRecord | undefined;
  encoded?: Uint8Array;
}

/** A buffered change record, and its tail's bytes if they came encoded. */
interface PendingChange {
  change: NewChange;
  tail?: Uint8Array;
}

/**
 * One transaction. Writes are buffered (point reads see them) and applied only when the callback
 * returns, so a callback that throws leaves LMDB untouched. The buffers are plain maps and
 * arrays, not closures: a replication batch makes thousands of writes per transaction.
 */
class LmdbTxn implements StoreTxn {
  /** Items by full key (latin1): a key written again in one transaction is written once, with its last value. */
  private readonly items = new Map<string, PendingItem>();
  /** Table metadata and meta entries by name (table statistics change with every item). */
  private readonly tables = new Map<string, unknown>();
  private readonly meta = new Map<string, unknown>();
  private readonly changes: PendingChange[] = [];
  private readonly clears: number[] = [];
  private pendingLsn: number;

  constructor(private readonly shared: Shared, private readonly writable: boolean) {
    this.pendingLsn = shared.assignedLsn;
  }

  /** The last key looked up: a merge reads a key and then writes it (key arrays are made fresh, never refilled). */
  private last: { tableId: number; key: Uint8Array; full: FullKey } | undefined;

  private fullKey(tableId: number, key: Uint8Array): FullKey {
    if (this.last?.key === key && this.last.tableId === tableId) return this.last.full;
    this.last = { tableId, key, full: { key: itemKey(tableId, key) } };
    return this.last.full;
  }

  private writing(): void {
    if (!this.writable) throw new Error('write in a read transaction');
  }

  getTable<T>(name: string): T | undefined {
    return (this.tables.has(name) ? this.tables.get(name) : this.shared.tables.get(name)) as T | undefined;
  }

  putTable(name: string, meta: unknown): void {
    this.writing();
    this.tables.set(name, meta);
  }

  removeTable(name: string): void {
    this.putTable(name, undefined);
  }

  listTableNames(): string[] {
    return [...this.shared.tables.keys()];
  }

  getItem(tableId: number, key: Uint8Array): ItemRecord | undefined {
    const full = this.fullKey(tableId, key);
    const pending = this.items.size ? this.items.get(idOf(full)) : undefined;
    return pending ? pending.record : this.shared.dbs.items.get(full.key);
  }

  putItem(tableId: number, key: Uint8Array, record: ItemRecord | undefined, encoded?: Uint8Array): void {
    this.writing();
    const full = this.fullKey(tableId, key);
    this.items.set(idOf(full), { key: full.key, record, encoded });
  }

  removeItem(tableId: number, key: Uint8Array): void {
    this.putItem(tableId, key, undefined);
  }

  clearItems(tableId: number): void {
    this.writing();
    // Items written before the clear in this transaction go with it.
    const prefix = tablePrefix(tableId).toString('latin1');
    for (const id of [...this.items.keys()]) if (id.startsWith(prefix)) this.items.delete(id);
    this.clears.push(tableId);
  }

  range(tableId: number, options: RangeOptions = {}): Iterable<KeyedRecord> {
    return rangeOf(this.shared.dbs, tableId, options);
  }

  appendChange(change: NewChange, encodedTail?: Uint8Array): number {
    this.writing();
    this.pendingLsn += 1;
    // The lsn is the record's key; readers put it back on the record (no copy of every change here).
    this.changes.push({ change, tail: encodedTail });
    return this.pendingLsn;
  }

  getMeta<T>(key: string): T | undefined {
    return (this.meta.has(key) ? this.meta.get(key) : this.shared.dbs.meta.get(key)) as T | undefined;
  }

  putMeta(key: string, value: unknown): void {
    this.writing();
    this.meta.set(key, value);
  }

  /** Applies the buffered writes to the open LMDB transaction. */
  apply(): void {
    const { dbs, tables } = this.shared;
    for (const tableId of this.clears) removeAll(dbs.items, dbs.items.getKeys({ start: tablePrefix(tableId), end: tablePrefix(tableId + 1) }));
    for (const [name, meta] of this.tables) {
      if (meta === undefined) {
        dbs.tables.removeSync(name);
        tables.delete(name);
      } else {
        dbs.tables.putSync(name, meta);
        tables.set(name, meta);
      }
    }
    for (const { key, record, encoded } of this.items.values()) {
      if (record === undefined) dbs.items.removeSync(key);
      else dbs.items.putSync(key, encoded ? asBinary(encoded) as unknown as ItemRecord : record);
    }
    for (const [key, value] of this.meta) dbs.meta.putSync(key, value);
    let lsn = this.shared.assignedLsn;
    // Lsns only grow, so each record goes at the end of the log without a search.
    for (const { change, tail } of this.changes) {
      const value = tail ? asBinary(spliceChange(change, tail)) : change;
      dbs.changes.putSync(++lsn, value as ChangeRecord, { append: true });
    }
    this.shared.assignedLsn = lsn;
  }
}

/** Removes the keys of a range read in the same transaction, collected first: deleting under a live cursor skips entries. */
function removeAll<K extends Buffer | number>(db: Database<unknown, K>, keys: Iterable<unknown>): void {
  for (const key of [...keys]) db.removeSync(key as K);
}

const loadTables = (dbs: Databases): Map<string, unknown> => new Map([...dbs.tables.getRange()].map(({ key, value }) => [key as string, value]));

export interface LmdbOptions {
  /** 'process' (default): durable across process crashes; 'fsync': also across machine crashes, slower. */
  durability?: 'process' | 'fsync';
  /** Encrypts the environment; a store created without it cannot be opened with it, nor the other way round. */
  encryption?: StoreEncryption;
}

export function openLmdbStore(path: string, options: LmdbOptions = {}): Store {
  mkdirSync(path, { recursive: true });
  const dbs = openDatabases(path, options.durability ?? 'process', options.encryption);
  const { root } = dbs;
  const lastKey = [...dbs.changes.getKeys({ reverse: true, limit: 1 })][0];
  const shared: Shared = {
    dbs,
    tables: loadTables(dbs),
    assignedLsn: typeof lastKey === 'number' ? lastKey : 0,
  };
  let committedLsn = shared.assignedLsn;
  const listeners = new Set<(lastLsn: number) => void>();
  const commits = new GroupCommit((body) => root.transactionSync(body), {
    defer: deferToNextTurn,
    afterCommit() {
      if (shared.assignedLsn <= committedLsn) return;
      committedLsn = shared.assignedLsn;
      for (const listener of listeners) listener(committedLsn);
    },
    // The transaction rolled back: what its writes did to the in-memory state is undone too.
    onAbort() {
      shared.tables = loadTables(dbs);
      shared.assignedLsn = committedLsn;
    },
  });

  return {
    write<T>(fn: (txn: StoreTxn) => T): Promise<T> {
      return commits.run(() => {
        const txn = new LmdbTxn(shared, true);
        const value = fn(txn);
        try {
          txn.apply();
        } catch (error) {
          // Part of this write may be in the transaction already: none of the batch may commit.
          throw new AbortCommitError(error);
        }
        return value;
      });
    },
    read<T>(fn: (txn: StoreTxn) => T): T {
      return fn(new LmdbTxn(shared, false));
    },
    changesAfter: (afterLsn, limit) => readChanges(dbs.changes, afterLsn, limit, committedLsn),
    lastLsn: () => committedLsn,
    async trimChanges(uptoLsn) {
      await commits.run(() => removeAll(dbs.changes, dbs.changes.getKeys({ end: uptoLsn + 1 })));
    },
    onCommit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      // Writes already asked for commit first; a write asked for later is refused, not run on a closed environment.
      await commits.close();
      await root.close();
    },
  };
}
