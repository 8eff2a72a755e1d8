/** DeleteItem: removes one item by key, optionally only if a condition holds. */
import type { Item } from '../../core/types.js';
import { commitItemChange } from '../items/commit.js';
import { keyOfKeyParam } from '../items/keys.js';
import { requestExpressions, type LegacyCapableRequest } from '../items/legacy.js';
import {
  checkCondition, checkExpressionParams, checkOldOnlyReturnValues, conditionalWriteShape, consumedCapacity, normalizeValues,
  writeUnits, type ExpressionParams,
} from '../items/request.js';
import { keyShapeOf, requireTable } from '../tables.js';
import { itemMap } from '../validation/shape.js';
import { defineOperation } from './operation.js';

interface DeleteItemRequest extends ExpressionParams, LegacyCapableRequest {
  TableName: string;
  Key: Item;
  ReturnValues?: string;
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}

export const deleteItem = defineOperation<DeleteItemRequest, unknown>({
  name: 'DeleteItem',
  shape: { ...conditionalWriteShape(), Key: itemMap({ notNull: true }) },
  async run(ctx, request, options) {
    checkExpressionParams(request as unknown as Record<string, unknown>, ['ConditionExpression'], ['Expected']);
    const key = normalizeValues(request.Key);
    checkOldOnlyReturnValues(request.ReturnValues);
    const parsed = requestExpressions(request);
    const old = await ctx.store.write((txn) => {
      const table = requireTable(txn, request.TableName, ctx.clock.trueNowMs());
      const { keys, encoded } = keyOfKeyParam(keyShapeOf(table), key);
      const existing = txn.getItem(table.id, encoded);
      const current = existing?.item ?? undefined;
      checkCondition(parsed.condition, current, request.ReturnValuesOnConditionCheckFailure);
      commitItemChange(ctx, txn, { table, key: encoded, keys, existing, next: null, forcedTimestampMs: options.timestampMs });
      return current;
    });
    return {
      ...(request.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {}),
      ...consumedCapacity(request.TableName, writeUnits(old), request.ReturnConsumedCapacity),
    };
  },
});
