/**
 * The steps every item write shares — PutItem, UpdateItem, DeleteItem and the actions of
 * TransactWriteItems: read the target, work out the next item, commit it. A transaction runs the
 * first two for all its actions before it commits any.
 */
import { applyUpdate, updatePaths, type DocumentPath, type UpdateExpr } from '../../core/expr/index.js';
import type { ConditionExpr } from '../../core/expr/index.js';
import type { Item, KeyShape } from '../../core/types.js';
import type { ItemRecord, StoreTxn } from '../../storage/store.js';
import type { RegionContext } from '../context.js';
import { invalid } from '../errors.js';
import { keyShapeOf, requireTable, type TableMeta } from '../tables.js';
import { commitItemChange } from './commit.js';
import { checkKeyPaths, indexKeyNames, type ResolvedKey } from './keys.js';
import { checkCondition, checkItemSize } from './request.js';
import { checkIndexKeyUpdateResults, checkIndexKeyUpdateTypes } from '../indexes/writeChecks.js';
import { collectionMetricsOf, type ItemCollectionMetrics } from '../indexes/collections.js';

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

/**
 * An update may not name a key attribute, nor look inside one (a.b, a[0]): checked before the
 * condition and before any value is read, as DynamoDB checks it.
 */
export function checkUpdatePaths(table: TableMeta, update: UpdateExpr): void {
  const shape = keyShapeOf(table);
  for (const name of [shape.hash.name, shape.range?.name]) {
    if (name !== undefined && update.actions.some((action) => action.path[0] === name)) {
      invalid(`One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`);
    }
  }
  checkIndexKeyUpdateTypes(table, update);
  checkKeyPaths(shape, updatePaths(update), indexKeyNames(table));
}

/**
 * UpdateItem's next item: the update applied to the current item (or to the bare key), within
 * the limits. `createsNothing`: the item does not exist and the update only removes, so DynamoDB
 * writes nothing (an update with no actions at all does create the item).
 */
export function updatedItem(target: WriteTarget, update: UpdateExpr | undefined): { next: Item; paths: DocumentPath[]; createsNothing: boolean } {
  let next: Item = target.current ?? { ...target.key.keys };
  let paths: DocumentPath[] = [];
  if (update) {
    checkUpdatePaths(target.table, update);
    const applied = applyUpdate(update, target.current ?? { ...target.key.keys });
    next = applied.item;
    paths = applied.updatedPaths;
    checkIndexKeyUpdateResults(target.table, update, next);
  }
  checkItemSize(next, 'Item size to update has exceeded the maximum allowed size');
  const createsNothing = !target.current && update !== undefined && update.actions.every((a) => a.kind === 'remove' || a.kind === 'delete');
  return { next, paths, createsNothing };
}

/** Commits a prepared write through commitItemChange; false when it changed nothing. */
export function commitPrepared(ctx: RegionContext, txn: StoreTxn, write: PreparedWrite, forcedTimestampMs?: number, transactionItem = false): boolean {
  const { target } = write;
  return commitItemChange(ctx, txn, {
    table: target.table,
    key: target.key.encoded,
    keys: target.key.keys,
    existing: target.existing,
    next: write.next,
    ...(write.update ? { update: true } : {}),
    ...(transactionItem ? { transactionItem } : {}),
    forcedTimestampMs,
  });
}

/** What PutItem and DeleteItem ask of their one write. */
export interface WholeItemWrite {
  TableName: string;
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
  ReturnItemCollectionMetrics?: string;
}

/**
 * PutItem's and DeleteItem's write, in one transaction: the table, the item's key in it, the
 * condition on the current item, the commit, and the item collection's size when asked.
 */
export function writeWholeItem(
  ctx: RegionContext, request: WholeItemWrite, condition: ConditionExpr | undefined,
  keyOf: (shape: KeyShape) => ResolvedKey, next: Item | null, forcedTimestampMs?: number,
): Promise<{ old: Item | undefined; metrics: ItemCollectionMetrics | undefined }> {
  return ctx.store.write((txn) => {
    const table = requireTable(txn, request.TableName, ctx.clock.trueNowMs());
    const target = readTarget(txn, table, keyOf(keyShapeOf(table)));
    checkCondition(condition, target.current, request.ReturnValuesOnConditionCheckFailure);
    commitPrepared(ctx, txn, { target, next }, forcedTimestampMs);
    return { old: target.current, metrics: collectionMetricsOf(txn, table, target.key.keys, request.ReturnItemCollectionMetrics) };
  });
}
