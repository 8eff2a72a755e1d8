/**
 * Background sweeps (tombstone retention, TTL) read whole tables: done in one go, a sweep of a few
 * hundred thousand items held the region's thread for over a second, every request and every
 * replicated change waiting behind it. Read a chunk at a time instead, with the event loop free
 * in between; each chunk is its own snapshot, so callers re-check what they found when they write.
 * The pause between chunks is the region clock's (a zero delay), so in the simulator other events
 * run between chunks as other I/O does in a real region.
 */
import { delay, type Clock } from '../clock/clock.js';
import type { ItemRecord, Store } from './store.js';

export interface ChunkedScanOptions {
  /** Records read per chunk. */
  chunkSize?: number;
  /** Stop once this many keys matched. */
  limit?: number;
  /** Stop after reading this many records. */
  maxRecords?: number;
  /** Where to begin (a `next` from an earlier scan); the table's first key by default. */
  start?: Uint8Array;
}

/** Lets everything else waiting run before the next chunk is read. */
export type YieldTurn = () => Promise<void>;

/** A pause of the clock's: zero delay, so whatever is already due runs first. */
export const yieldTurnOf = (clock: Clock): YieldTurn => () => delay(clock, 0);

export interface ScanResult {
  keys: Uint8Array[];
  /** Where a later scan resumes, when this one stopped before the table's end. */
  next?: Uint8Array;
}

const DEFAULT_CHUNK_SIZE = 1000;

/** The smallest key after `key` in byte order. */
const after = (key: Uint8Array): Uint8Array => {
  const out = new Uint8Array(key.length + 1);
  out.set(key);
  return out;
};

/** Keys of the table's records that match, in key order. */
export async function matchingKeys(store: Store, yieldTurn: YieldTurn, tableId: number, matches: (record: ItemRecord) => boolean, options: ChunkedScanOptions = {}): Promise<ScanResult> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const maxRecords = options.maxRecords ?? Number.POSITIVE_INFINITY;
  const keys: Uint8Array[] = [];
  let start = options.start;
  let total = 0;
  for (;;) {
    const wanted = Math.min(chunkSize, maxRecords - total);
    let read = 0;
    let last: Uint8Array | undefined;
    store.read((txn) => {
      for (const { key, record } of txn.range(tableId, { ...(start ? { start } : {}), limit: wanted })) {
        read += 1;
        last = key;
        if (matches(record)) keys.push(key);
        if (keys.length >= limit) return;
      }
    });
    total += read;
    // A chunk that came back short, without stopping at the limit: the table's end.
    if (read < wanted && keys.length < limit) return { keys };
    start = after(last!);
    if (keys.length >= limit || total >= maxRecords) return { keys, next: start };
    await yieldTurn();
  }
}

/** Where each table's next sweep resumes: a sweep with a budget of records covers a large table over several runs. */
export class SweepCursors {
  private readonly next = new Map<number, Uint8Array>();
  private readonly yieldTurn: YieldTurn;

  /** Scans pause between chunks on this clock. */
  constructor(clock: Clock) {
    this.yieldTurn = yieldTurnOf(clock);
  }

  /** Matching keys from where the table's last sweep stopped (its start after the end was reached). */
  async scan(store: Store, tableId: number, matches: (record: ItemRecord) => boolean, options: Omit<ChunkedScanOptions, 'start'>): Promise<Uint8Array[]> {
    const start = this.next.get(tableId);
    const { keys, next } = await matchingKeys(store, this.yieldTurn, tableId, matches, { ...options, ...(start ? { start } : {}) });
    if (next) this.next.set(tableId, next);
    else this.next.delete(tableId);
    return keys;
  }
}
