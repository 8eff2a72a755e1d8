/** DeleteItem: removes one item by key, optionally only if a condition holds. */
import type { Item } from '../../core/types.js';
import { keyOfKeyParam } from '../items/keys.js';
import { requestExpressions, type LegacyCapableRequest } from '../items/legacy.js';
import { commitPrepared, readTarget } from '../items/prepareWrite.js';
import {
  checkCondition, checkExpressionParams, checkOldOnlyReturnValues, conditionalWriteShape, consumedCapacity, normalizeValues,
  writeUnits, type ExpressionParams,
} from '../items/request.js';
import { keyShapeOf, requireTable } from '../tables.js';
import { itemMap } from '../validation/shape.js';
import { collectionMetricsOf } from '../indexes/collections.js';
import { defineOperation } from './operation.js';

interface DeleteItemRequest extends ExpressionParams, LegacyCapableRequest {
  TableName: string;
  Key: Item;
  ReturnValues?: string;
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
  ReturnItemCollectionMetrics?: string;
}

export const deleteItem = defineOperation<DeleteItemRequest, unknown>({
  name: 'DeleteItem',
  shape: { ...conditionalWriteShape(), Key: itemMap({ notNull: true }) },
  async run(ctx, request, options) {
    checkExpressionParams(request as unknown as Record<string, unknown>, ['ConditionExpression'], ['Expected']);
    const key = normalizeValues(request.Key);
    checkOldOnlyReturnValues(request.ReturnValues);
    const parsed = requestExpressions(request);
    const { old, metrics } = await ctx.store.write((txn) => {
      const table = requireTable(txn, request.TableName, ctx.clock.trueNowMs());
      const target = readTarget(txn, table, keyOfKeyParam(keyShapeOf(table), key));
      checkCondition(parsed.condition, target.current, request.ReturnValuesOnConditionCheckFailure);
      commitPrepared(ctx, txn, { target, next: null }, options.timestampMs);
      return { old: target.current, metrics: collectionMetricsOf(txn, table, target.key.keys, request.ReturnItemCollectionMetrics) };
    });
    return {
      ...(request.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {}),
      ...consumedCapacity(request.TableName, writeUnits(old), request.ReturnConsumedCapacity),
      ...(metrics ? { ItemCollectionMetrics: metrics } : {}),
    };
  },
});
