/**
 * Keeps a table's secondary indexes equal to the projection of its items. Called from storeState,
 * so every local write, TTL delete and replicated apply updates its index entries in the same
 * transaction as the item itself.
 */
import { encodeEntryKey } from '../../core/indexKeys.js';
import type { VersionedState } from '../../core/lww.js';
import type { Item } from '../../core/types.js';
import { itemSize } from '../../core/values.js';
import type { ItemRecord, StoreTxn } from '../../storage/store.js';
import { adjustStats, keyShapeOf, type TableMeta } from '../tables.js';
import { indexShapeOf, isIndexed, maintainedIndexes, projectedNames, projectItem, type IndexMeta } from './indexMeta.js';
import { adjustCollectionSize } from './collections.js';

/** The entry an item has in an index, if it belongs there. */
export function entryOf(table: TableMeta, index: IndexMeta, item: Item, state: Omit<VersionedState, 'item' | 'attributes'>): { key: Uint8Array; record: ItemRecord } | undefined {
  const indexShape = indexShapeOf(table, index);
  if (!isIndexed(item, indexShape)) return undefined;
  const tableShape = keyShapeOf(table);
  const projected = projectItem(item, projectedNames(tableShape, indexShape, index));
  return {
    key: encodeEntryKey(indexShape, tableShape, item),
    record: { item: projected, version: state.version, origin: state.origin, writtenAtMs: state.writtenAtMs },
  };
}

/** Replaces the old item's entries (if any) with the new item's, in every maintained index. */
export function updateIndexEntries(txn: StoreTxn, table: TableMeta, old: Item | undefined, state: VersionedState): void {
  const next = state.item ?? undefined;
  let collectionDelta = 0;
  for (const index of maintainedIndexes(table)) {
    const before = old ? entryOf(table, index, old, state) : undefined;
    const after = next ? entryOf(table, index, next, state) : undefined;
    // While an index backfills, an item written before the backfill reached it has no entry yet.
    const removed = before && (index.status !== 'CREATING' || txn.getItem(index.id, before.key)) ? before : undefined;
    if (removed) txn.removeItem(index.id, removed.key);
    if (after) txn.putItem(index.id, after.key, after.record);
    const beforeSize = removed ? itemSize(removed.record.item!) : 0;
    const afterSize = after ? itemSize(after.record.item!) : 0;
    adjustStats(txn, index.id, (after ? 1 : 0) - (removed ? 1 : 0), afterSize - beforeSize);
    if (index.kind === 'local') collectionDelta += afterSize - beforeSize;
  }
  if (table.indexes?.some((index) => index.kind === 'local')) {
    const item = next ?? old;
    if (item) collectionDelta += (next ? itemSize(next) : 0) - (old ? itemSize(old) : 0);
    if (item && collectionDelta !== 0) adjustCollectionSize(txn, table, item, collectionDelta);
  }
}

/** Drops every entry and the statistics of the given indexes (a deleted table or index, a resync). */
export function clearIndexEntries(txn: StoreTxn, indexes: IndexMeta[]): void {
  for (const index of indexes) {
    txn.clearItems(index.id);
    txn.putMeta(`stats:${index.id}`, { itemCount: 0, sizeBytes: 0 });
  }
}
