/** The LMDB Store: one environment per region data dir; writes are group-committed transactions. */
import { mkdirSync } from 'node:fs';
import { open, type Database, type RootDatabase } from 'lmdb';
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

export function openLmdbStore(path: string): Store {
  mkdirSync(path, { recursive: true });
  const root = open({ path, pageSize: 8192, maxDbs: 8 });
  const dbs: Databases = {
    root,
    items: root.openDB<ItemRecord, Buffer>('items', { keyEncoding: 'binary' }),
    tables: root.openDB<unknown, string>({ name: 'tables' }),
    meta: root.openDB<unknown, string>({ name: 'meta' }),
    changes: root.openDB<ChangeRecord, number>('changes', { keyEncoding: 'uint32' }),
  };
  const lastKey = [...dbs.changes.getKeys({ reverse: true, limit: 1 })][0];
  /** Highest lsn handed out by a transaction that applied; callbacks run one at a time. */
  let assignedLsn = typeof lastKey === 'number' ? lastKey : 0;
  let committedLsn = assignedLsn;
  const listeners = new Set<(lastLsn: number) => void>();

  function transaction(writable: boolean): { txn: StoreTxn; apply: () => number | undefined } {
    const writes: (() => void)[] = [];
    const overlay = new Map<string, unknown>();
    let pendingLsn = assignedLsn;
    let appended = false;
    const write = (overlayKey: string, value: unknown, apply: () => void): void => {
      if (!writable) throw new Error('write in a read transaction');
      overlay.set(overlayKey, value);
      writes.push(apply);
    };
    const read = <T>(overlayKey: string, fallback: () => T): T =>
      (overlay.has(overlayKey) ? overlay.get(overlayKey) as T : fallback());
    const txn: StoreTxn = {
      getTable: <T>(name: string) => read(`t:${name}`, () => dbs.tables.get(name)) as T | undefined,
      putTable: (name, meta) => write(`t:${name}`, meta, () => dbs.tables.putSync(name, meta)),
      removeTable: (name) => write(`t:${name}`, undefined, () => dbs.tables.removeSync(name)),
      listTableNames: () => [...dbs.tables.getKeys()] as string[],
      getItem: (tableId, key) => {
        const full = itemKey(tableId, key);
        return read(`i:${full.toString('latin1')}`, () => dbs.items.get(full));
      },
      putItem: (tableId, key, record) => {
        const full = itemKey(tableId, key);
        write(`i:${full.toString('latin1')}`, record, () => dbs.items.putSync(full, record));
      },
      removeItem: (tableId, key) => {
        const full = itemKey(tableId, key);
        write(`i:${full.toString('latin1')}`, undefined, () => dbs.items.removeSync(full));
      },
      clearItems: (tableId) => write(`clear:${tableId}`, true, () => {
        for (const key of dbs.items.getKeys({ start: tablePrefix(tableId), end: tablePrefix(tableId + 1) })) {
          dbs.items.removeSync(key as Buffer);
        }
      }),
      range: (tableId, options = {}) => rangeOf(dbs, tableId, options),
      appendChange: (change: NewChange) => {
        pendingLsn += 1;
        const record: ChangeRecord = { ...change, lsn: pendingLsn };
        appended = true;
        write(`c:${pendingLsn}`, record, () => dbs.changes.putSync(record.lsn, record));
        return pendingLsn;
      },
      getMeta: <T>(key: string) => read(`m:${key}`, () => dbs.meta.get(key)) as T | undefined,
      putMeta: (key, value) => write(`m:${key}`, value, () => dbs.meta.putSync(key, value)),
    };
    return {
      txn,
      apply: () => {
        for (const apply of writes) apply();
        if (!appended) return undefined;
        assignedLsn = pendingLsn;
        return pendingLsn;
      },
    };
  }

  return {
    async write<T>(fn: (txn: StoreTxn) => T): Promise<T> {
      let appendedUpTo: number | undefined;
      // lmdb batches callbacks of one event turn into one transaction (group commit); writes are
      // buffered until fn returns, so a callback that throws leaves that shared transaction untouched.
      const result = await root.transaction(() => {
        const { txn, apply } = transaction(true);
        const value = fn(txn);
        appendedUpTo = apply();
        return value;
      });
      if (appendedUpTo !== undefined && appendedUpTo > committedLsn) {
        committedLsn = appendedUpTo;
        for (const listener of listeners) listener(committedLsn);
      }
      return result;
    },
    read<T>(fn: (txn: StoreTxn) => T): T {
      return fn(transaction(false).txn);
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
