/**
 * The items a transaction's actions name, resolved inside its store transaction: every table must
 * exist, no key may be empty and no two actions may name one item (each refuses the whole
 * request); a key that does not fit the table's schema only cancels the transaction, with a
 * ValidationError reason for its action.
 */
import { CoreValidationError } from '../../core/errors.js';
import type { Item } from '../../core/types.js';
import type { StoreTxn } from '../../storage/store.js';
import type { RegionContext } from '../context.js';
import { invalid, ValidationException } from '../errors.js';
import { EmptyKeyValueError, keyOfItem, keyOfKeyParam, type ResolvedKey } from '../items/keys.js';
import { keyShapeOf, requireTable, type TableMeta } from '../tables.js';

export interface NamedItem {
  tableName: string;
  /** A whole item (Put) or a Key. */
  values: Item;
  isWholeItem: boolean;
}

export type ResolvedTarget = { table: TableMeta; key: ResolvedKey } | { table: TableMeta; keyError: string };

function resolveKey(table: TableMeta, named: NamedItem): ResolvedTarget {
  const shape = keyShapeOf(table);
  try {
    return { table, key: named.isWholeItem ? keyOfItem(shape, named.values) : keyOfKeyParam(shape, named.values) };
  } catch (error) {
    if (error instanceof EmptyKeyValueError) throw error.transactionWording();
    if (error instanceof ValidationException || error instanceof CoreValidationError) return { table, keyError: error.message };
    throw error;
  }
}

const identityOf = (table: TableMeta, key: ResolvedKey): string => `${table.id}:${Buffer.from(key.encoded).toString('latin1')}`;

export function resolveTargets(ctx: RegionContext, txn: StoreTxn, items: NamedItem[]): ResolvedTarget[] {
  const nowMs = ctx.clock.trueNowMs();
  const targets = items.map((named) => resolveKey(requireTable(txn, named.tableName, nowMs), named));
  const seen = new Set<string>();
  for (const target of targets) {
    if (!('key' in target)) continue;
    const identity = identityOf(target.table, target.key);
    if (seen.has(identity)) invalid('Transaction request cannot include multiple operations on one item');
    seen.add(identity);
  }
  return targets;
}
