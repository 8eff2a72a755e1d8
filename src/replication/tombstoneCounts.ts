/**
 * What tombstone retention did, kept in the store so a restart forgets none of it: tombstones
 * purged, and possible resurrections. A possible resurrection is a replicated write, to a key this
 * region holds no record of, older than the newest tombstone purged from its table: the key may have
 * had that tombstone, and then a delete was undone here. Counted so that one never passes silently.
 * Tombstone stability (tombstoneStability.ts) keeps it at zero; a region whose clock runs further
 * behind than the retention, writing a new key, is the one harmless way to count one.
 */
import { compareVersions } from '../core/version.js';
import type { Version } from '../core/types.js';
import type { RegionContext } from '../dynamo/context.js';
import type { TableMeta } from '../dynamo/tables.js';
import type { ItemRecord, StoreTxn } from '../storage/store.js';

const RESURRECTIONS_KEY = 'tombstones.possibleResurrections';
const PURGED_KEY = 'tombstones.purged';

const add = (txn: StoreTxn, key: string, n: number): void => txn.putMeta(key, (txn.getMeta<number>(key) ?? 0) + n);

/** Counts the write, in the transaction that applies it, when it may be undoing a purged delete. */
export function noteIfResurrection(txn: StoreTxn, table: TableMeta, existing: ItemRecord | undefined, incoming: Version): void {
  if (existing || !table.purgedVersion || compareVersions(incoming, table.purgedVersion) >= 0) return;
  add(txn, RESURRECTIONS_KEY, 1);
}

export const notePurged = (txn: StoreTxn, count: number): void => add(txn, PURGED_KEY, count);

export function tombstoneCounts(ctx: RegionContext): { purged: number; possibleResurrections: number } {
  return ctx.store.read((txn) => ({ purged: txn.getMeta<number>(PURGED_KEY) ?? 0, possibleResurrections: txn.getMeta<number>(RESURRECTIONS_KEY) ?? 0 }));
}
