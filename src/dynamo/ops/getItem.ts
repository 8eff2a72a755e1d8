/** GetItem: one item by its key, optionally projected. */
import { project } from '../../core/expr/index.js';
import type { Item } from '../../core/types.js';
import { itemSize } from '../../core/values.js';
import { checkKeyPaths, indexKeyNames, keyOfKeyParam } from '../items/keys.js';
import { requestExpressions } from '../items/legacy.js';
import { checkExpressionParams, consumedCapacity, normalizeValues, readUnits } from '../items/request.js';
import { keyShapeOf, requireTable } from '../tables.js';
import { bool, expressionNames, itemMap, list, returnConsumedCapacity, str, tableNameRule } from '../validation/shape.js';
import { defineOperation } from './operation.js';

interface GetItemRequest {
  TableName: string;
  Key: Item;
  ConsistentRead?: boolean;
  ProjectionExpression?: string;
  AttributesToGet?: string[];
  ExpressionAttributeNames?: Record<string, string>;
  ReturnConsumedCapacity?: string;
}

export const getItem = defineOperation<GetItemRequest, unknown>({
  name: 'GetItem',
  shape: {
    TableName: tableNameRule(),
    Key: itemMap({ notNull: true }),
    AttributesToGet: list(str(), { lengthMin: 1 }),
    ConsistentRead: bool(),
    ReturnConsumedCapacity: returnConsumedCapacity(),
    ProjectionExpression: str(),
    ExpressionAttributeNames: expressionNames(),
  },
  run(ctx, request) {
    checkExpressionParams(request as unknown as Record<string, unknown>, ['ProjectionExpression'], ['AttributesToGet']);
    const key = normalizeValues(request.Key);
    const parsed = requestExpressions(request);
    const found = ctx.store.read((txn) => {
      const table = requireTable(txn, request.TableName, ctx.clock.trueNowMs());
      const shape = keyShapeOf(table);
      const { encoded } = keyOfKeyParam(shape, key);
      if (parsed.projection) checkKeyPaths(shape, parsed.projection.paths, indexKeyNames(table));
      return txn.getItem(table.id, encoded)?.item ?? undefined;
    });
    const capacity = request.ReturnConsumedCapacity
      ? consumedCapacity(request.TableName, readUnits(found ? itemSize(found) : 0, request.ConsistentRead === true), request.ReturnConsumedCapacity)
      : {};
    if (!found) return capacity;
    return { Item: parsed.projection ? project(found, parsed.projection) : found, ...capacity };
  },
});
