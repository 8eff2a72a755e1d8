/**
 * What the publisher sends as one message: consecutive changes of the change log with one origin
 * and one table, up to a size bound (an item of a transaction alone). Consecutive, so a group's lsns have no gaps and a receiver that
 * applied its last change has applied all of it; one origin and table, so subjects stay per origin
 * and table and a NATS consumer can still filter on them.
 */
import type { ChangeRecord } from '../storage/store.js';
import { encodeGroupEntry } from './wireEncode.js';

export interface ChangeGroup {
  origin: string;
  table: string;
  changes: ChangeRecord[];
  /** Each change encoded (wireEncode.ts), in order. */
  entries: Uint8Array[];
  bytes: number;
  /** The stream region's own changes up to and including this group's last one. */
  ownCount: number;
}

export interface GroupLimits {
  /** Groups to form at most; the changes after the last are left for later. */
  maxGroups: number;
  maxChanges: number;
  /** A group ends before it would pass this, unless its one change is larger alone. */
  maxBytes: number;
}

export const firstLsn = (group: ChangeGroup): number => group.changes[0].lsn;
export const lastLsn = (group: ChangeGroup): number => group.changes[group.changes.length - 1].lsn;

/** Groups `changes` (consecutive, in lsn order); `ownCount` is the count before the first of them. */
export function formGroups(region: string, changes: readonly ChangeRecord[], ownCount: number, limits: GroupLimits): ChangeGroup[] {
  const groups: ChangeGroup[] = [];
  let current: ChangeGroup | undefined;
  for (const change of changes) {
    const entry = encodeGroupEntry(change);
    // A transaction's items go one per message: other regions apply them item by item.
    const fits = current !== undefined && !change.transactionItem && !current.changes[0].transactionItem
      && current.origin === change.origin && current.table === change.table
      && current.changes.length < limits.maxChanges && current.bytes + entry.length <= limits.maxBytes;
    if (!fits) {
      if (groups.length === limits.maxGroups) break;
      current = { origin: change.origin, table: change.table, changes: [], entries: [], bytes: 0, ownCount };
      groups.push(current);
    }
    current!.changes.push(change);
    current!.entries.push(entry);
    current!.bytes += entry.length;
    if (change.origin === region) ownCount += 1;
    current!.ownCount = ownCount;
  }
  return groups;
}
