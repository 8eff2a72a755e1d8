/** PutItem: writes a whole item, optionally only if a condition holds on the current one. */
import type { Item } from '../../core/types.js';
import { keyOfItem } from '../items/keys.js';
import { requestExpressions, type LegacyCapableRequest } from '../items/legacy.js';
import { writeWholeItem, type WholeItemWrite } from '../items/prepareWrite.js';
import {
  checkExpressionParams, checkItemSize, checkOldOnlyReturnValues, conditionalWriteShape, consumedCapacity,
  normalizeValues, writeUnits, type ExpressionParams,
} from '../items/request.js';
import { itemMap } from '../validation/shape.js';
import { defineOperation } from './operation.js';

interface PutItemRequest extends ExpressionParams, LegacyCapableRequest, WholeItemWrite {
  Item: Item;
  ReturnValues?: string;
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
    const { old, metrics } = await writeWholeItem(ctx, request, parsed.condition, (shape) => keyOfItem(shape, item), item, options.timestampMs);
    return {
      ...(request.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {}),
      ...consumedCapacity(request.TableName, writeUnits(old, item), request.ReturnConsumedCapacity),
      ...(metrics ? { ItemCollectionMetrics: metrics } : {}),
    };
  },
});
