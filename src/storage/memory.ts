/** The in-memory Store: same semantics as LMDB, for simulation and fast tests. */
import type { ChangeRecord, ItemRecord, KeyedRecord, NewChange, RangeOptions, Store, StoreTxn } from './store.js';

/** latin1 strings compare exactly like the bytes they encode. */
function toKey(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 1) out += String.fromCharCode(bytes[i]);
  return out;
}

function fromKey(key: string): Uint8Array {
  const out = new Uint8Array(key.length);
  for (let i = 0; i < key.length; i += 1) out[i] = key.charCodeAt(i);
  return out;
}

function tablePrefix(tableId: number): string {
  return toKey(new Uint8Array([(tableId >>> 24) & 255, (tableId >>> 16) & 255, (tableId >>> 8) & 255, tableId & 255]));
}

/** A sorted array of keys with binary search: small, ordered, good enough for simulation sizes. */
class SortedKeys {
  private keys: string[] = [];

  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(key: string): void {
    const at = this.lowerBound(key);
    if (this.keys[at] !== key) this.keys.splice(at, 0, key);
  }

  remove(key: string): void {
    const at = this.lowerBound(key);
    if (this.keys[at] === key) this.keys.splice(at, 1);
  }

  between(start: string, end: string | undefined): string[] {
    const from = this.lowerBound(start);
    const to = end === undefined ? this.keys.length : this.lowerBound(end);
    return this.keys.slice(from, to);
  }
}

interface State {
  items: Map<string, ItemRecord>;
  order: SortedKeys;
  tables: Map<string, unknown>;
  meta: Map<string, unknown>;
  changes: ChangeRecord[];
}

const copy = <T>(value: T): T => (value === undefined ? value : structuredClone(value));

export function createMemoryStore(): Store {
  const state: State = { items: new Map(), order: new SortedKeys(), tables: new Map(), meta: new Map(), changes: [] };
  const listeners = new Set<(lastLsn: number) => void>();
  let lastLsn = 0;

  function transaction(writable: boolean): { txn: StoreTxn; commit: () => boolean } {
    const writes: (() => void)[] = [];
    const overlay = new Map<string, unknown>();
    let appended = false;
    const write = (overlayKey: string, value: unknown, apply: () => void): void => {
      if (!writable) throw new Error('write in a read transaction');
      overlay.set(overlayKey, value);
      writes.push(apply);
    };
    const read = <T>(overlayKey: string, fallback: () => T): T =>
      (overlay.has(overlayKey) ? overlay.get(overlayKey) as T : fallback());
    let pendingLsn = lastLsn;
    const txn: StoreTxn = {
      getTable: <T>(name: string) => copy(read(`t:${name}`, () => state.tables.get(name)) as T | undefined),
      putTable: (name, meta) => { const value = copy(meta); write(`t:${name}`, value, () => state.tables.set(name, value)); },
      removeTable: (name) => write(`t:${name}`, undefined, () => state.tables.delete(name)),
      listTableNames: () => [...state.tables.keys()],
      getItem: (tableId, key) => {
        const full = tablePrefix(tableId) + toKey(key);
        return copy(read(`i:${full}`, () => state.items.get(full)));
      },
      putItem: (tableId, key, record) => {
        const full = tablePrefix(tableId) + toKey(key);
        const value = copy(record);
        write(`i:${full}`, value, () => { state.items.set(full, value); state.order.add(full); });
      },
      removeItem: (tableId, key) => {
        const full = tablePrefix(tableId) + toKey(key);
        write(`i:${full}`, undefined, () => { state.items.delete(full); state.order.remove(full); });
      },
      clearItems: (tableId) => {
        const prefix = tablePrefix(tableId);
        write(`clear:${tableId}`, true, () => {
          for (const full of state.order.between(prefix, tablePrefix(tableId + 1))) {
            state.items.delete(full);
            state.order.remove(full);
          }
        });
      },
      *range(tableId: number, options: RangeOptions = {}): Iterable<KeyedRecord> {
        const prefix = tablePrefix(tableId);
        const start = prefix + (options.start ? toKey(options.start) : '');
        const end = options.end ? prefix + toKey(options.end) : tablePrefix(tableId + 1);
        const keys = state.order.between(start, end);
        if (options.reverse) keys.reverse();
        let count = 0;
        for (const full of keys) {
          if (options.limit !== undefined && count >= options.limit) return;
          const record = state.items.get(full);
          if (!record) continue;
          count += 1;
          yield { key: fromKey(full.slice(prefix.length)), record: copy(record) };
        }
      },
      appendChange: (change: NewChange) => {
        pendingLsn += 1;
        const record = { ...copy(change), lsn: pendingLsn };
        appended = true;
        write(`c:${pendingLsn}`, record, () => { state.changes.push(record); lastLsn = record.lsn; });
        return pendingLsn;
      },
      getMeta: <T>(key: string) => copy(read(`m:${key}`, () => state.meta.get(key)) as T | undefined),
      putMeta: (key, value) => { const stored = copy(value); write(`m:${key}`, stored, () => state.meta.set(key, stored)); },
    };
    return {
      txn,
      commit: () => {
        for (const apply of writes) apply();
        return appended;
      },
    };
  }

  let closed = false;
  return {
    async write<T>(fn: (txn: StoreTxn) => T): Promise<T> {
      if (closed) throw new Error('store is closed');
      // Runs synchronously, like one LMDB write transaction: nothing interleaves with it.
      const { txn, commit } = transaction(true);
      const result = fn(txn);
      const appended = commit();
      await Promise.resolve();
      if (appended) for (const listener of listeners) listener(lastLsn);
      return result;
    },
    read<T>(fn: (txn: StoreTxn) => T): T {
      return fn(transaction(false).txn);
    },
    changesAfter(afterLsn, limit) {
      const first = state.changes.findIndex((c) => c.lsn > afterLsn);
      return first < 0 ? [] : state.changes.slice(first, first + limit).map(copy);
    },
    lastLsn: () => lastLsn,
    async trimChanges(uptoLsn) {
      state.changes = state.changes.filter((c) => c.lsn > uptoLsn);
    },
    onCommit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
    },
  };
}
