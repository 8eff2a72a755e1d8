/**
 * TransactGetItems: up to 100 items by key, read from one consistent snapshot of the region, in
 * request order (an empty object for an item that does not exist).
 */
import { parseExpressions, project, type ParsedExpressions } from '../../core/expr/index.js';
import type { Item } from '../../core/types.js';
import { TransactionCanceledException } from '../errors.js';
import { checkExpressionParams, normalizeValues } from '../items/request.js';
import { addUnits, capacityResponse, transactionalReadUnits } from '../transactions/capacity.js';
import { resolveTargets } from '../transactions/targets.js';
import { expressionNames, itemMap, list, returnConsumedCapacity, str, struct, tableNameRule } from '../validation/shape.js';
import { defineOperation } from './operation.js';
import { MAX_TRANSACT_ITEMS } from './transactWriteItems.js';

interface Get {
  TableName: string;
  Key: Item;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
}

interface TransactGetItemsRequest {
  TransactItems: { Get: Get }[];
  ReturnConsumedCapacity?: string;
}

interface PlannedGet {
  tableName: string;
  key: Item;
  parsed: ParsedExpressions;
}

function planGet(get: Get): PlannedGet {
  checkExpressionParams(get as unknown as Record<string, unknown>, ['ProjectionExpression'], []);
  return { tableName: get.TableName, key: normalizeValues(get.Key), parsed: parseExpressions(get) };
}

export const transactGetItems = defineOperation<TransactGetItemsRequest, unknown>({
  name: 'TransactGetItems',
  shape: {
    TransactItems: list(struct('TransactGetItem', {
      Get: struct('Get', {
        Key: itemMap({ notNull: true }),
        TableName: tableNameRule(),
        ProjectionExpression: str(),
        ExpressionAttributeNames: expressionNames(),
      }, { notNull: true }),
    }, { notNull: true }), { notNull: true, lengthMin: 1, lengthMax: MAX_TRANSACT_ITEMS }),
    ReturnConsumedCapacity: returnConsumedCapacity(),
  },
  run(ctx, request) {
    const plans = request.TransactItems.map((entry) => planGet(entry.Get));
    return ctx.store.read((txn) => {
      const targets = resolveTargets(ctx, txn, plans.map((plan) => ({ tableName: plan.tableName, values: plan.key, isWholeItem: false })));
      if (targets.some((target) => 'keyError' in target)) {
        throw new TransactionCanceledException(targets.map((target) => ('keyError' in target
          ? { Code: 'ValidationError', Message: target.keyError }
          : { Code: 'None' })));
      }
      const units = new Map<string, number>();
      const responses = targets.map((target, i) => {
        const item = 'key' in target ? txn.getItem(target.table.id, target.key.encoded)?.item ?? undefined : undefined;
        addUnits(units, plans[i].tableName, transactionalReadUnits(item));
        if (!item) return {};
        return { Item: plans[i].parsed.projection ? project(item, plans[i].parsed.projection) : item };
      });
      return { Responses: responses, ...capacityResponse(units, request.ReturnConsumedCapacity) };
    });
  },
});
