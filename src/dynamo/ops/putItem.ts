/** PutItem: writes a whole item, optionally only if a condition holds on the current one. */
import { evaluateCondition, parseExpressions } from '../../core/expr/index.js';
import type { Item } from '../../core/types.js';
import { ConditionalCheckFailedException, invalid } from '../errors.js';
import { commitItemChange } from '../items/commit.js';
import { keyOfItem } from '../items/keys.js';
import { expressionInput, type LegacyCapableRequest } from '../items/legacy.js';
import {
  checkExpressionParams, checkItemSize, commonItemShape, consumedCapacity, normalizeValues, returnValuesOnFailureRule,
  writeUnits, type ExpressionParams,
} from '../items/request.js';
import { keyShapeOf, requireTable } from '../tables.js';
import { itemMap, str, returnItemCollectionMetrics, map, type FieldRule } from '../validation/shape.js';
import { defineOperation } from './operation.js';

interface PutItemRequest extends ExpressionParams, LegacyCapableRequest {
  TableName: string;
  Item: Item;
  ConditionExpression?: string;
  ConditionalOperator?: 'AND' | 'OR';
  ReturnValues?: string;
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}

export const expectedRule = (): FieldRule => map({ type: 'Any' });

export const putItem = defineOperation<PutItemRequest, unknown>({
  name: 'PutItem',
  shape: {
    ...commonItemShape(),
    Item: itemMap({ notNull: true }),
    ConditionExpression: str(),
    Expected: expectedRule(),
    ConditionalOperator: str({ enum: ['AND', 'OR'] }),
    ReturnValues: str({ enum: ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] }),
    ReturnValuesOnConditionCheckFailure: returnValuesOnFailureRule(),
    ReturnItemCollectionMetrics: returnItemCollectionMetrics(),
  },
  async run(ctx, request) {
    checkExpressionParams(request as unknown as Record<string, unknown>, ['ConditionExpression'], ['Expected']);
    const item = normalizeValues(request.Item);
    if (request.ReturnValues && request.ReturnValues !== 'ALL_OLD' && request.ReturnValues !== 'NONE') {
      invalid('ReturnValues can only be ALL_OLD or NONE');
    }
    checkItemSize(item);
    const parsed = parseExpressions(expressionInput(request));
    const old = await ctx.store.write((txn) => {
      const table = requireTable(txn, request.TableName);
      const { keys, encoded } = keyOfItem(keyShapeOf(table), item);
      const existing = txn.getItem(table.id, encoded);
      const current = existing?.item ?? undefined;
      if (parsed.condition && !evaluateCondition(parsed.condition, current)) {
        throw new ConditionalCheckFailedException(undefined,
          request.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' ? current : undefined);
      }
      commitItemChange(ctx, txn, { table, key: encoded, keys, existing, next: item });
      return current;
    });
    return {
      ...(request.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {}),
      ...consumedCapacity(request.TableName, writeUnits(old, item), request.ReturnConsumedCapacity),
    };
  },
});
