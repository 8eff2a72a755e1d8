/**
 * The one place an item changes: stamps the next version, stores the item (or a tombstone) and
 * appends the change record, all inside the caller's transaction (the outbox of DESIGN §4).
 */
import type { Item } from '../../core/types.js';
import { valuesEqual, itemSize } from '../../core/values.js';
import { nextVersion } from '../../core/version.js';
import type { ItemRecord, StoreTxn } from '../../storage/store.js';
import type { RegionContext } from '../context.js';
import { adjustStats, type TableMeta } from '../tables.js';

export interface ItemChange {
  table: TableMeta;
  /** Encoded storage key of the item. */
  key: Uint8Array;
  /** The item's key attributes (for the change record). */
  keys: Item;
  /** What the store holds now (a tombstone counts as absent). */
  existing: ItemRecord | undefined;
  /** The item to store, or null to delete it. */
  next: Item | null;
  /** A delete made by the service itself (TTL expiry). */
  service?: boolean;
}

function sameItem(a: Item, b: Item): boolean {
  return valuesEqual({ M: a }, { M: b });
}

/** Applies the change; returns false when it changes nothing (then nothing is written or logged). */
export function commitItemChange(ctx: RegionContext, txn: StoreTxn, change: ItemChange): boolean {
  const old = change.existing?.item ?? undefined;
  if (change.next === null && !old) return false;
  if (change.next !== null && old && sameItem(old, change.next)) return false;

  const version = nextVersion(ctx.clockState, ctx.clock.nowMs(), ctx.region);
  const nowMs = ctx.clock.trueNowMs();
  const record: ItemRecord = change.next === null
    ? { item: null, version, deletedAtMs: nowMs }
    : { item: change.next, version };
  txn.putItem(change.table.id, change.key, record);

  const oldSize = old ? itemSize(old) : 0;
  const newSize = change.next ? itemSize(change.next) : 0;
  adjustStats(txn, change.table.id, (change.next ? 1 : 0) - (old ? 1 : 0), newSize - oldSize);

  txn.appendChange({
    table: change.table.name,
    eventName: change.next === null ? 'REMOVE' : old ? 'MODIFY' : 'INSERT',
    keys: change.keys,
    ...(old ? { oldImage: old } : {}),
    ...(change.next ? { newImage: change.next } : {}),
    version,
    ...(change.existing ? { prevVersion: change.existing.version } : {}),
    origin: ctx.region,
    commitTimeMs: nowMs,
    ...(change.service ? { service: true } : {}),
  });
  return true;
}
