/**
 * Item collections: on a table with a local secondary index, the items of one partition key value
 * and their local index entries. DynamoDB caps a collection at 10 GB and reports its size
 * (ReturnItemCollectionMetrics); the size of each collection is kept here as writes change it.
 */
import { partitionPrefix } from '../../core/keys.js';
import { own } from '../../core/plainData.js';
import type { Item } from '../../core/types.js';
import type { StoreTxn } from '../../storage/store.js';
import { ItemCollectionSizeLimitExceededException } from '../errors.js';
import { keyShapeOf, type TableMeta } from '../tables.js';

export const ITEM_COLLECTION_LIMIT_BYTES = 10 * 1024 * 1024 * 1024;
const GB = 1024 * 1024 * 1024;

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

function collectionKey(table: TableMeta, item: Item): string {
  const shape = keyShapeOf(table);
  return `collection:${table.id}:${hex(partitionPrefix(shape, own(item, shape.hash.name)!))}`;
}

export function collectionSize(txn: StoreTxn, table: TableMeta, item: Item): number {
  return txn.getMeta<number>(collectionKey(table, item)) ?? 0;
}

export function adjustCollectionSize(txn: StoreTxn, table: TableMeta, item: Item, deltaBytes: number): void {
  const key = collectionKey(table, item);
  txn.putMeta(key, (txn.getMeta<number>(key) ?? 0) + deltaBytes);
}

export const hasLocalIndex = (table: TableMeta): boolean => Boolean(table.indexes?.some((index) => index.kind === 'local'));

/** A local write that grows a collection past the limit is refused (the caller's transaction is abandoned). */
export function checkCollectionLimit(txn: StoreTxn, table: TableMeta, item: Item, growthBytes: number): void {
  if (growthBytes > 0 && hasLocalIndex(table) && collectionSize(txn, table, item) + growthBytes > ITEM_COLLECTION_LIMIT_BYTES) {
    throw new ItemCollectionSizeLimitExceededException('Item collection size limit exceeded. Reduce the size of the items in the collection.');
  }
}

/** ItemCollectionMetrics of a write on a table with a local index (ReturnItemCollectionMetrics SIZE). */
export function itemCollectionMetrics(txn: StoreTxn, table: TableMeta, item: Item): Record<string, unknown> {
  const shape = keyShapeOf(table);
  const sizeGb = collectionSize(txn, table, item) / GB;
  const lower = Math.floor(sizeGb);
  return {
    ItemCollectionKey: { [shape.hash.name]: own(item, shape.hash.name)! },
    SizeEstimateRangeGB: [lower, lower + 1],
  };
}
