/**
 * What the in-memory store has committed, as one plain object: a store can be dropped (a region's
 * crash in the simulator) and another opened on the same data, which then holds exactly what the
 * first one had committed.
 */
import type { ChangeRecord, ItemRecord } from './store.js';

/**
 * A deep copy of stored data, as LMDB's decode gives a reader its own objects: plain objects,
 * arrays, byte arrays and primitives copied by hand (several times faster than structuredClone on
 * the small records a store holds), anything else by structuredClone. Own `__proto__` keys stay
 * ordinary keys, as structuredClone keeps them.
 */
export function cloneData<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneData) as T;
  if (value instanceof Uint8Array) return new Uint8Array(value) as T;
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const copied = cloneData((value as Record<string, unknown>)[key]);
    if (key === '__proto__') Object.defineProperty(out, key, { value: copied, enumerable: true, writable: true, configurable: true });
    else out[key] = copied;
  }
  return out as T;
}

/** latin1 strings compare exactly like the bytes they encode. */
export function toKey(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 1) out += String.fromCharCode(bytes[i]);
  return out;
}

export function fromKey(key: string): Uint8Array {
  const out = new Uint8Array(key.length);
  for (let i = 0; i < key.length; i += 1) out[i] = key.charCodeAt(i);
  return out;
}

export function tablePrefix(tableId: number): string {
  return toKey(new Uint8Array([(tableId >>> 24) & 255, (tableId >>> 16) & 255, (tableId >>> 8) & 255, tableId & 255]));
}

/** A sorted array of keys with binary search: small, ordered, good enough for simulation sizes. */
export class SortedKeys {
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

/** Committed state only: a write changes it when its batch commits, never before. */
export interface MemoryData {
  /** Items and tombstones by table prefix + encoded key. */
  items: Map<string, ItemRecord>;
  /** The keys of `items`, in byte order, for ranges. */
  order: SortedKeys;
  tables: Map<string, unknown>;
  meta: Map<string, unknown>;
  /** The change log after retention, in lsn order. */
  changes: ChangeRecord[];
  /** Highest lsn ever committed: the log may have been trimmed past it, and lsns never go back. */
  lastLsn: number;
}

export function emptyMemoryData(): MemoryData {
  return { items: new Map(), order: new SortedKeys(), tables: new Map(), meta: new Map(), changes: [], lastLsn: 0 };
}
