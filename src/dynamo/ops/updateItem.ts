/** UpdateItem: edits (or creates) one item with an update expression, optionally conditionally. */
import { applyUpdate, projectPaths, updatePaths, type DocumentPath } from '../../core/expr/index.js';
import type { Item, KeyShape } from '../../core/types.js';
import { invalid } from '../errors.js';
import { commitItemChange } from '../items/commit.js';
import { checkKeyPaths, keyOfKeyParam } from '../items/keys.js';
import { requestExpressions, type LegacyCapableRequest } from '../items/legacy.js';
import {
  checkCondition, checkExpressionParams, checkItemSize, conditionalWriteShape, consumedCapacity, normalizeValues, writeUnits,
  type ExpressionParams,
} from '../items/request.js';
import { keyShapeOf, requireTable } from '../tables.js';
import { attributeUpdatesRule, itemMap, str } from '../validation/shape.js';
import { defineOperation } from './operation.js';

type ReturnValues = 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';

interface UpdateItemRequest extends ExpressionParams, LegacyCapableRequest {
  TableName: string;
  Key: Item;
  UpdateExpression?: string;
  ConditionExpression?: string;
  ReturnValues?: ReturnValues;
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}

function checkKeyNotUpdated(shape: KeyShape, paths: DocumentPath[]): void {
  for (const name of [shape.hash.name, shape.range?.name]) {
    if (name !== undefined && paths.some((path) => path[0] === name)) {
      invalid(`One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`);
    }
  }
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
      const shape = keyShapeOf(table);
      const { keys, encoded } = keyOfKeyParam(shape, key);
      const existing = txn.getItem(table.id, encoded);
      const old = existing?.item ?? undefined;
      if (parsed.update) {
        checkKeyNotUpdated(shape, parsed.update.actions.map((action) => action.path));
        checkKeyPaths(shape, updatePaths(parsed.update));
      }
      checkCondition(parsed.condition, old, request.ReturnValuesOnConditionCheckFailure);
      let next: Item = old ?? { ...keys };
      let paths: DocumentPath[] = [];
      if (parsed.update) {
        const applied = applyUpdate(parsed.update, old ?? { ...keys });
        next = applied.item;
        paths = applied.updatedPaths;
      }
      checkItemSize(next, 'Item size to update has exceeded the maximum allowed size');
      // Only removals on an item that does not exist: DynamoDB creates nothing (no update at all does create it).
      if (!old && parsed.update && parsed.update.actions.every((action) => action.kind === 'remove' || action.kind === 'delete')) {
        return { old, next: undefined, paths };
      }
      commitItemChange(ctx, txn, { table, key: encoded, keys, existing, next, update: true, forcedTimestampMs: options.timestampMs });
      return { old, next, paths };
    });
    const attributes = returnedAttributes(request.ReturnValues, result.old, result.next, result.paths);
    return {
      ...(attributes && Object.keys(attributes).length ? { Attributes: attributes } : {}),
      ...consumedCapacity(request.TableName, writeUnits(result.old, result.next), request.ReturnConsumedCapacity),
    };
  },
});
