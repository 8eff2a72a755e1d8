/** The key schema of the table a statement names (ResourceNotFoundException when there is none). */
import type { KeyShape } from '../../core/types.js';
import type { RegionContext } from '../context.js';
import { keyShapeOf, requireTable } from '../tables.js';

export function tableKeyShape(ctx: RegionContext, tableName: string): KeyShape {
  return ctx.store.read((txn) => keyShapeOf(requireTable(txn, tableName, ctx.clock.trueNowMs())));
}
