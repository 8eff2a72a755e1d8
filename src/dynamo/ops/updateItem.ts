/** UpdateItem: edits (or creates) one item with an update expression, optionally conditionally. */
import { projectPaths, type DocumentPath } from '../../core/expr/index.js';
import type { Item } from '../../core/types.js';
import { keyOfKeyParam } from '../items/keys.js';
import { requestExpressions, type LegacyCapableRequest } from '../items/legacy.js';
import { checkUpdatePaths, commitPrepared, readTarget, updatedItem } from '../items/prepareWrite.js';
import {
  checkCondition, checkExpressionParams, conditionalWriteShape, consumedCapacity, normalizeValues, writeUnits,
  type ExpressionParams,
} from '../items/request.js';
import { keyShapeOf, requireTable } from '../tables.js';
import { attributeUpdatesRule, itemMap, str } from '../validation/shape.js';
import { collectionMetricsOf } from '../indexes/collections.js';
import { defineOperation } from './operation.js';

type ReturnValues = 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';

interface UpdateItemRequest extends ExpressionParams, LegacyCapableRequest {
  TableName: string;
  Key: Item;
  UpdateExpression?: string;
  ConditionExpression?: string;
  ReturnValues?: ReturnValues;
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
  ReturnItemCollectionMetrics?: string;
}

function returnedAttributes(mode: ReturnValues | undefined, old: Item | undefined, next: Item | undefined, paths: DocumentPath[]): Item | undefined {
  switch (mode) {
    case 'ALL_OLD': return old;
    case 'ALL_NEW': return next;
    case 'UPDATED_OLD': return old ? projectPaths(old, paths) : undefined;
    case 'UPDATED_NEW': return next ? projectPaths(next, paths) : undefined;
    default: return undefined;
  }
}

export const updateItem = defineOperation<UpdateItemRequest, unknown>({
  name: 'UpdateItem',
  shape: { ...conditionalWriteShape(), Key: itemMap({ notNull: true }), UpdateExpression: str(), AttributeUpdates: attributeUpdatesRule() },
  async run(ctx, request, options) {
    checkExpressionParams(request as unknown as Record<string, unknown>,
      ['UpdateExpression', 'ConditionExpression'], ['AttributeUpdates', 'Expected']);
    const key = normalizeValues(request.Key);
    const parsed = requestExpressions(request);
    const result = await ctx.store.write((txn) => {
      const table = requireTable(txn, request.TableName, ctx.clock.trueNowMs());
      const target = readTarget(txn, table, keyOfKeyParam(keyShapeOf(table), key));
      if (parsed.update) checkUpdatePaths(table, parsed.update);
      checkCondition(parsed.condition, target.current, request.ReturnValuesOnConditionCheckFailure);
      const { next, paths, createsNothing } = updatedItem(target, parsed.update);
      if (createsNothing) return { old: target.current, next: undefined, paths };
      commitPrepared(ctx, txn, { target, next, update: true }, options.timestampMs);
      return { old: target.current, next, paths, metrics: collectionMetricsOf(txn, table, target.key.keys, request.ReturnItemCollectionMetrics) };
    });
    const attributes = returnedAttributes(request.ReturnValues, result.old, result.next, result.paths);
    return {
      ...(attributes && Object.keys(attributes).length ? { Attributes: attributes } : {}),
      ...consumedCapacity(request.TableName, writeUnits(result.old, result.next), request.ReturnConsumedCapacity),
      ...(result.metrics ? { ItemCollectionMetrics: result.metrics } : {}),
    };
  },
});
