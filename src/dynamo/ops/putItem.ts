/** PutItem: writes a whole item, optionally only if a condition holds on the current one. */
import type { Item } from '../../core/types.js';
import { commitItemChange } from '../items/commit.js';
import { keyOfItem } from '../items/keys.js';
import { requestExpressions, type LegacyCapableRequest } from '../items/legacy.js';
import {
  checkCondition, checkExpressionParams, checkItemSize, checkOldOnlyReturnValues, conditionalWriteShape, consumedCapacity,
  normalizeValues, writeUnits, type ExpressionParams,
} from '../items/request.js';
import { keyShapeOf, requireTable } from '../tables.js';
import { itemMap } from '../validation/shape.js';
import { defineOperation } from './operation.js';

interface PutItemRequest extends ExpressionParams, LegacyCapableRequest {
  TableName: string;
  Item: Item;
  ReturnValues?: string;
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
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
    const old = await ctx.store.write((txn) => {
      const table = requireTable(txn, request.TableName, ctx.clock.trueNowMs());
      const { keys, encoded } = keyOfItem(keyShapeOf(table), item);
      const existing = txn.getItem(table.id, encoded);
      const current = existing?.item ?? undefined;
      checkCondition(parsed.condition, current, request.ReturnValuesOnConditionCheckFailure);
      commitItemChange(ctx, txn, { table, key: encoded, keys, existing, next: item, forcedTimestampMs: options.timestampMs });
      return current;
    });
    return {
      ...(request.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {}),
      ...consumedCapacity(request.TableName, writeUnits(old, item), request.ReturnConsumedCapacity),
    };
  },
});
