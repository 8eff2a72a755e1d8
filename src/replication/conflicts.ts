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

  /** Entries in order: by default the most recent `limit` (of the table, when named), or those after `afterSeq`. */
  list(options: { afterSeq?: number; limit?: number; table?: string } = {}): ConflictEntry[] {
    const limit = options.limit ?? 1000;
    return this.read((txn) => {
      const count = txn.getMeta<number>(COUNT_KEY) ?? 0;
      const matches = (entry: ConflictEntry | undefined): entry is ConflictEntry => Boolean(entry) && (!options.table || entry!.table === options.table);
      const out: ConflictEntry[] = [];
      if (options.afterSeq !== undefined) {
        for (let seq = options.afterSeq + 1; seq <= count && out.length < limit; seq += 1) {
          const entry = txn.getMeta<ConflictEntry>(entryKey(seq));
          if (matches(entry)) out.push(entry);
        }
        return out;
      }
      // Newest first until the limit, so a table filter finds that table's recent conflicts among others.
      for (let seq = count; seq >= 1 && out.length < limit; seq -= 1) {
        const entry = txn.getMeta<ConflictEntry>(entryKey(seq));
        if (matches(entry)) out.push(entry);
      }
      return out.reverse();
    });
  }
}
