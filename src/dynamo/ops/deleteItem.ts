/** DeleteItem: removes one item by key, optionally only if a condition holds. */
import { evaluateCondition, parseExpressions } from '../../core/expr/index.js';
import type { Item } from '../../core/types.js';
import { ConditionalCheckFailedException, invalid } from '../errors.js';
import { commitItemChange } from '../items/commit.js';
import { keyOfKeyParam } from '../items/keys.js';
import { expressionInput, type LegacyCapableRequest } from '../items/legacy.js';
import {
  checkExpressionParams, commonItemShape, consumedCapacity, normalizeValues, returnValuesOnFailureRule, writeUnits,
  type ExpressionParams,
} from '../items/request.js';
import { keyShapeOf, requireTable } from '../tables.js';
import { itemMap, returnItemCollectionMetrics, str } from '../validation/shape.js';
import { defineOperation } from './operation.js';
import { expectedRule } from './putItem.js';

interface DeleteItemRequest extends ExpressionParams, LegacyCapableRequest {
  TableName: string;
  Key: Item;
  ConditionExpression?: string;
  ReturnValues?: string;
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}

export const deleteItem = defineOperation<DeleteItemRequest, unknown>({
  name: 'DeleteItem',
  shape: {
    ...commonItemShape(),
    Key: itemMap({ notNull: true }),
    ConditionExpression: str(),
    Expected: expectedRule(),
    ConditionalOperator: str({ enum: ['AND', 'OR'] }),
    ReturnValues: str({ enum: ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] }),
    ReturnValuesOnConditionCheckFailure: returnValuesOnFailureRule(),
    ReturnItemCollectionMetrics: returnItemCollectionMetrics(),
  },
  async run(ctx, request) {
    checkExpressionParams(request as unknown as Record<string, unknown>, ['ConditionExpression'], ['Expected']);
    const key = normalizeValues(request.Key);
    if (request.ReturnValues && request.ReturnValues !== 'ALL_OLD' && request.ReturnValues !== 'NONE') {
      invalid('ReturnValues can only be ALL_OLD or NONE');
    }
    const parsed = parseExpressions(expressionInput(request));
    const old = await ctx.store.write((txn) => {
      const table = requireTable(txn, request.TableName);
      const { keys, encoded } = keyOfKeyParam(keyShapeOf(table), key);
      const existing = txn.getItem(table.id, encoded);
      const current = existing?.item ?? undefined;
      if (parsed.condition && !evaluateCondition(parsed.condition, current)) {
        throw new ConditionalCheckFailedException(undefined,
          request.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' ? current : undefined);
      }
      commitItemChange(ctx, txn, { table, key: encoded, keys, existing, next: null });
      return current;
    });
    return {
      ...(request.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {}),
      ...consumedCapacity(request.TableName, writeUnits(old), request.ReturnConsumedCapacity),
    };
  },
});
