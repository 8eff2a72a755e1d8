/**
 * The steps every item write shares — PutItem, UpdateItem, DeleteItem and the actions of
 * TransactWriteItems: read the target, work out the next item, commit it. A transaction runs the
 * first two for all its actions before it commits any.
 */
import { applyUpdate, type DocumentPath, type UpdateExpr } from '../../core/expr/index.js';
import type { Item, KeyShape } from '../../core/types.js';
import type { ItemRecord, StoreTxn } from '../../storage/store.js';
import type { RegionContext } from '../context.js';
import { invalid } from '../errors.js';
import { keyShapeOf, type TableMeta } from '../tables.js';
import { commitItemChange } from './commit.js';
import type { ResolvedKey } from './keys.js';
import { checkItemSize } from './request.js';

export interface WriteTarget {
  table: TableMeta;
  key: ResolvedKey;
  /** What the store holds (a tombstone included). */
  existing: ItemRecord | undefined;
  /** The live item, if any. */
  current: Item | undefined;
}

/** A write worked out and not yet committed: the item to store, or null to delete it. */
export interface PreparedWrite {
  target: WriteTarget;
  next: Item | null;
  /** UpdateItem changes only what it names (matters for attribute-level last-writer-wins). */
  update?: boolean;
}

export function readTarget(txn: StoreTxn, table: TableMeta, key: ResolvedKey): WriteTarget {
  const existing = txn.getItem(table.id, key.encoded);
  return { table, key, existing, current: existing?.item ?? undefined };
}

function checkKeyNotUpdated(shape: KeyShape, paths: DocumentPath[]): void {
  for (const name of [shape.hash.name, shape.range?.name]) {
    if (name !== undefined && paths.some((path) => path[0] === name)) {
      invalid(`One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`);
    }
  }
}

/** UpdateItem's next item: the update applied to the current item (or to the bare key), within the limits. */
export function updatedItem(target: WriteTarget, update: UpdateExpr | undefined): { next: Item; paths: DocumentPath[] } {
  let next: Item = target.current ?? { ...target.key.keys };
  let paths: DocumentPath[] = [];
  if (update) {
    const applied = applyUpdate(update, target.current ?? { ...target.key.keys });
    checkKeyNotUpdated(keyShapeOf(target.table), applied.updatedPaths);
    next = applied.item;
    paths = applied.updatedPaths;
  }
  checkItemSize(next, 'Item size to update has exceeded the maximum allowed size');
  return { next, paths };
}

/** Commits a prepared write through commitItemChange; false when it changed nothing. */
export function commitPrepared(ctx: RegionContext, txn: StoreTxn, write: PreparedWrite, forcedTimestampMs?: number): boolean {
  const { target } = write;
  return commitItemChange(ctx, txn, {
    table: target.table,
    key: target.key.encoded,
    keys: target.key.keys,
    existing: target.existing,
    next: write.next,
    ...(write.update ? { update: true } : {}),
    forcedTimestampMs,
  });
}
