/** The LMDB Store: one environment per region data dir; writes are group-committed transactions. */
import { mkdirSync } from 'node:fs';
import { open, type Database, type DatabaseOptions, type RootDatabase } from 'lmdb';
import type { ChangeRecord, ItemRecord, KeyedRecord, NewChange, RangeOptions, Store, StoreTxn } from './store.js';

function tablePrefix(tableId: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(tableId >>> 0);
  return out;
}

const itemKey = (tableId: number, key: Uint8Array): Buffer => Buffer.concat([tablePrefix(tableId), key]);

interface Databases {
  root: RootDatabase;
  items: Database<ItemRecord, Buffer>;
  tables: Database<unknown, string>;
  meta: Database<unknown, string>;
  changes: Database<ChangeRecord, number>;
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

/**
 * One transaction. Writes are buffered (point reads see them through the overlay) and applied
 * only when the callback returns, so a callback that throws leaves LMDB untouched.
 */
class LmdbTxn implements StoreTxn {
  /** By key: a key written again in one transaction is written once, with its last value (table statistics change with every item). */
  private readonly writes = new Map<string, () => void>();
  private readonly overlay = new Map<string, unknown>();
  private pendingLsn: number;
  private appended = false;

  constructor(private readonly shared: Shared, private readonly writable: boolean) {
    this.pendingLsn = shared.assignedLsn;
  }

  private write(overlayKey: string, value: unknown, apply: () => void): void {
    if (!this.writable) throw new Error('write in a read transaction');
    this.overlay.set(overlayKey, value);
    // Re-inserted, so writes are applied in the order of their last change.
    this.writes.delete(overlayKey);
    this.writes.set(overlayKey, apply);
  }

  private read<T>(overlayKey: string, fallback: () => T): T {
    return this.overlay.size && this.overlay.has(overlayKey) ? this.overlay.get(overlayKey) as T : fallback();
  }

  getTable<T>(name: string): T | undefined {
    return this.read(`t:${name}`, () => this.shared.tables.get(name)) as T | undefined;
  }

  putTable(name: string, meta: unknown): void {
    this.write(`t:${name}`, meta, () => { this.shared.dbs.tables.putSync(name, meta); this.shared.tables.set(name, meta); });
  }

  removeTable(name: string): void {
    this.write(`t:${name}`, undefined, () => { this.shared.dbs.tables.removeSync(name); this.shared.tables.delete(name); });
  }

  listTableNames(): string[] {
    return [...this.shared.tables.keys()];
  }

  getItem(tableId: number, key: Uint8Array): ItemRecord | undefined {
    const full = itemKey(tableId, key);
    if (!this.overlay.size) return this.shared.dbs.items.get(full);
    return this.read(`i:${full.toString('latin1')}`, () => this.shared.dbs.items.get(full));
  }

  putItem(tableId: number, key: Uint8Array, record: ItemRecord): void {
    const full = itemKey(tableId, key);
    this.write(`i:${full.toString('latin1')}`, record, () => this.shared.dbs.items.putSync(full, record));
  }

  removeItem(tableId: number, key: Uint8Array): void {
    const full = itemKey(tableId, key);
    this.write(`i:${full.toString('latin1')}`, undefined, () => this.shared.dbs.items.removeSync(full));
  }

  clearItems(tableId: number): void {
    const items = this.shared.dbs.items;
    this.write(`clear:${tableId}`, true, () => {
      for (const key of items.getKeys({ start: tablePrefix(tableId), end: tablePrefix(tableId + 1) })) items.removeSync(key as Buffer);
    });
  }

  range(tableId: number, options: RangeOptions = {}): Iterable<KeyedRecord> {
    return rangeOf(this.shared.dbs, tableId, options);
  }

  appendChange(change: NewChange): number {
    this.pendingLsn += 1;
    const record: ChangeRecord = { ...change, lsn: this.pendingLsn };
    this.appended = true;
    this.write(`c:${record.lsn}`, record, () => this.shared.dbs.changes.putSync(record.lsn, record));
    return record.lsn;
  }

  getMeta<T>(key: string): T | undefined {
    return this.read(`m:${key}`, () => this.shared.dbs.meta.get(key)) as T | undefined;
  }

  putMeta(key: string, value: unknown): void {
    this.write(`m:${key}`, value, () => this.shared.dbs.meta.putSync(key, value));
  }

  /** Applies the buffered writes; returns the last lsn appended, if any. */
  apply(): number | undefined {
    for (const apply of this.writes.values()) apply();
    if (!this.appended) return undefined;
    this.shared.assignedLsn = this.pendingLsn;
    return this.pendingLsn;
  }
}

/** msgpackr's `useRecords` (passed through by lmdb, though its types do not list it). */
const PLAIN_MAPS = { useRecords: false } as DatabaseOptions;

export interface LmdbOptions {
  /** 'process' (default): durable across process crashes; 'fsync': also across machine crashes, slower. */
  durability?: 'process' | 'fsync';
}

export function openLmdbStore(path: string, options: LmdbOptions = {}): Store {
  mkdirSync(path, { recursive: true });
  // noSync: a commit is in the OS page cache before it is acknowledged, so it survives a crash
  // (SIGKILL) of this process; only a crash of the machine itself could lose recent commits.
  const root = open({ path, pageSize: 8192, maxDbs: 8, noSync: options.durability !== 'fsync' });
  const dbs: Databases = {
    root,
    // Plain msgpack maps: items and change records come in many shapes, and defining a record
    // structure for each costs more than it saves (records written either way read back alike).
    items: root.openDB<ItemRecord, Buffer>('items', { keyEncoding: 'binary', ...PLAIN_MAPS }),
    tables: root.openDB<unknown, string>({ name: 'tables' }),
    meta: root.openDB<unknown, string>({ name: 'meta' }),
    changes: root.openDB<ChangeRecord, number>('changes', { keyEncoding: 'uint32', ...PLAIN_MAPS }),
  };
  const lastKey = [...dbs.changes.getKeys({ reverse: true, limit: 1 })][0];
  const shared: Shared = {
    dbs,
    tables: new Map([...dbs.tables.getRange()].map(({ key, value }) => [key as string, value])),
    assignedLsn: typeof lastKey === 'number' ? lastKey : 0,
  };
  let committedLsn = shared.assignedLsn;
  const listeners = new Set<(lastLsn: number) => void>();

  return {
    async write<T>(fn: (txn: StoreTxn) => T): Promise<T> {
      let appendedUpTo: number | undefined;
      // lmdb batches the callbacks of one event turn into one LMDB transaction (group commit).
      const result = await root.transaction(() => {
        const txn = new LmdbTxn(shared, true);
        const value = fn(txn);
        appendedUpTo = txn.apply();
        return value;
      });
      if (appendedUpTo !== undefined && appendedUpTo > committedLsn) {
        committedLsn = appendedUpTo;
        for (const listener of listeners) listener(committedLsn);
      }
      return result;
    },
    read<T>(fn: (txn: StoreTxn) => T): T {
      return fn(new LmdbTxn(shared, false));
    },
    changesAfter(afterLsn, limit) {
      const out: ChangeRecord[] = [];
      for (const { value } of dbs.changes.getRange({ start: afterLsn + 1, limit })) {
        if (value.lsn > committedLsn) break;
        out.push(value);
      }
      return out;
    },
    lastLsn: () => committedLsn,
    async trimChanges(uptoLsn) {
      await root.transaction(() => {
        for (const key of dbs.changes.getKeys({ end: uptoLsn + 1 })) dbs.changes.removeSync(key as number);
      });
    },
    onCommit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      await root.close();
    },
  };
}
