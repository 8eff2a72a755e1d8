/** The key schema of the table a statement names (ResourceNotFoundException when there is none), or of the index it reads. */
import type { SelectStatement } from '../../core/partiql/index.js';
import type { KeyShape } from '../../core/types.js';
import type { RegionContext } from '../context.js';
import { findIndex, indexShapeOf } from '../indexes/indexMeta.js';
import { keyShapeOf, requireTable } from '../tables.js';

export function tableKeyShape(ctx: RegionContext, tableName: string): KeyShape {
  return ctx.store.read((txn) => keyShapeOf(requireTable(txn, tableName, ctx.clock.trueNowMs())));
}

/** What a SELECT reads by: the table's key, or its index's; undefined for an index the table does not have. */
export function readKeyShape(ctx: RegionContext, select: SelectStatement): KeyShape | undefined {
  return ctx.store.read((txn) => {
    const table = requireTable(txn, select.table, ctx.clock.trueNowMs());
    if (select.index === undefined) return keyShapeOf(table);
    const index = findIndex(table, select.index);
    return index && index.status !== 'DELETING' ? indexShapeOf(table, index) : undefined;
  });
}
