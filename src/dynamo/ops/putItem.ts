/** PutItem: writes a whole item, optionally only if a condition holds on the current one. */
import type { Item } from '../../core/types.js';
import { keyOfItem } from '../items/keys.js';
import { requestExpressions, type LegacyCapableRequest } from '../items/legacy.js';
import { commitPrepared, readTarget } from '../items/prepareWrite.js';
import {
  checkCondition, checkExpressionParams, checkItemSize, checkOldOnlyReturnValues, conditionalWriteShape, consumedCapacity,
  normalizeValues, writeUnits, type ExpressionParams,
} from '../items/request.js';
import { keyShapeOf, requireTable } from '../tables.js';
import { itemMap } from '../validation/shape.js';
import { collectionMetricsOf } from '../indexes/collections.js';
import { defineOperation } from './operation.js';

interface PutItemRequest extends ExpressionParams, LegacyCapableRequest {
  TableName: string;
  Item: Item;
  ReturnValues?: string;
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
  ReturnItemCollectionMetrics?: string;
}

export const putItem = defineOperation<PutItemRequest, unknown>({
  name: 'PutItem',
  shape: { ...conditionalWriteShape(), Item: itemMap({ notNull: true }) },
  async run(ctx, request, options) {
    checkExpressionParams(request as unknown as Record<string, unknown>, ['ConditionExpression'], ['Expected']);
    const item = normalizeValues(request.Item);
    checkOldOnlyReturnValues(request.ReturnValues);
    checkItemSize(item);
    const parsed = requestExpressions(request);
    const { old, metrics } = await ctx.store.write((txn) => {
      const table = requireTable(txn, request.TableName, ctx.clock.trueNowMs());
      const target = readTarget(txn, table, keyOfItem(keyShapeOf(table), item));
      checkCondition(parsed.condition, target.current, request.ReturnValuesOnConditionCheckFailure);
      commitPrepared(ctx, txn, { target, next: item }, options.timestampMs);
      return { old: target.current, metrics: collectionMetricsOf(txn, table, target.key.keys, request.ReturnItemCollectionMetrics) };
    });
    return {
      ...(request.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {}),
      ...consumedCapacity(request.TableName, writeUnits(old, item), request.ReturnConsumedCapacity),
      ...(metrics ? { ItemCollectionMetrics: metrics } : {}),
    };
  },
});
