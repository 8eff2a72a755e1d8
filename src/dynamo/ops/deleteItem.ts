/** DeleteItem: removes one item by key, optionally only if a condition holds. */
import type { Item } from '../../core/types.js';
import { keyOfKeyParam } from '../items/keys.js';
import { requestExpressions, type LegacyCapableRequest } from '../items/legacy.js';
import { writeWholeItem, type WholeItemWrite } from '../items/prepareWrite.js';
import {
  checkExpressionParams, checkOldOnlyReturnValues, conditionalWriteShape, consumedCapacity, normalizeValues,
  writeUnits, type ExpressionParams,
} from '../items/request.js';
import { itemMap } from '../validation/shape.js';
import { defineOperation } from './operation.js';

interface DeleteItemRequest extends ExpressionParams, LegacyCapableRequest, WholeItemWrite {
  Key: Item;
  ReturnValues?: string;
}

export const deleteItem = defineOperation<DeleteItemRequest, unknown>({
  name: 'DeleteItem',
  shape: { ...conditionalWriteShape(), Key: itemMap({ notNull: true }) },
  async run(ctx, request, options) {
    checkExpressionParams(request as unknown as Record<string, unknown>, ['ConditionExpression'], ['Expected']);
    const key = normalizeValues(request.Key);
    checkOldOnlyReturnValues(request.ReturnValues);
    const parsed = requestExpressions(request);
    const { old, metrics } = await writeWholeItem(ctx, request, parsed.condition, (shape) => keyOfKeyParam(shape, key), null, options.timestampMs);
    return {
      ...(request.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {}),
      ...consumedCapacity(request.TableName, writeUnits(old), request.ReturnConsumedCapacity),
      ...(metrics ? { ItemCollectionMetrics: metrics } : {}),
    };
  },
});
