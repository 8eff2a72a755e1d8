/** The conflict log: every concurrent write that lost, with both versions, origins, reason and true times. */
import type { Conflict } from '../core/lww.js';
import type { Item } from '../core/types.js';
import type { StoreTxn } from '../storage/store.js';

export interface ConflictEntry extends Conflict {
  /** Position in this region's log: 1, 2, 3, … */
  seq: number;
  table: string;
  keys: Item;
  /** The region that detected it (where the two writes met). */
  detectedIn: string;
  detectedAtMs: number;
}

const COUNT_KEY = 'conflicts.count';
const entryKey = (seq: number): string => `conflict:${seq}`;

/** Conflicts are written in the same transaction as the change that caused them, so a crash loses neither. */
export class ConflictLog {
  constructor(private readonly read: <T>(fn: (txn: StoreTxn) => T) => T) {}

  get total(): number {
    return this.read((txn) => txn.getMeta<number>(COUNT_KEY)) ?? 0;
  }

  record(txn: StoreTxn, entry: Omit<ConflictEntry, 'seq'>): ConflictEntry {
    // Read through the transaction, so several conflicts in one batch get consecutive numbers.
    const seq = (txn.getMeta<number>(COUNT_KEY) ?? 0) + 1;
    const stored = { ...entry, seq };
    txn.putMeta(entryKey(seq), stored);
    txn.putMeta(COUNT_KEY, seq);
    return stored;
  }

  /** Entries in order; by default the most recent `limit`, or those after `afterSeq`. */
  list(options: { afterSeq?: number; limit?: number; table?: string } = {}): ConflictEntry[] {
    const limit = options.limit ?? 1000;
    return this.read((txn) => {
      const count = txn.getMeta<number>(COUNT_KEY) ?? 0;
      const from = options.afterSeq !== undefined ? options.afterSeq + 1 : Math.max(1, count - limit + 1);
      const out: ConflictEntry[] = [];
      for (let seq = from; seq <= count && out.length < limit; seq += 1) {
        const entry = txn.getMeta<ConflictEntry>(entryKey(seq));
        if (entry && (!options.table || entry.table === options.table)) out.push(entry);
      }
      return out;
    });
  }
}
