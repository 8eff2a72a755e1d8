/** Query: the items of one partition in sort-key order, narrowed by a key condition. */
import { conditionPaths, keyConditionParts, matchKeySchema, parseExpressions, type ConditionExpr } from '../../core/expr/index.js';
import type { KeyShape } from '../../core/types.js';
import { invalid } from '../errors.js';
import { checkAttributesToGet, legacyExpressions, legacyFilter } from '../items/legacy.js';
import { legacyKeyCondition } from '../items/legacyKeyConditions.js';
import { queryRange, resumeAfter } from '../items/keyRange.js';
import { checkStartKeyBounds, checkStartKeyCount, checkStartKeyElement, startKeyNames, tableStartKey } from '../items/startKey.js';
import { checkKeyPaths, checkKeyValueSizes, indexKeyNames } from '../items/keys.js';
import { pageFor } from '../items/page.js';
import { checkSelect, encodedStartKey, inReportOrder, indexPageOptions, indexReadOf, normalizeStartKey, readShape, type ReadRequest } from '../items/readRequest.js';
import { indexQueryRange } from '../indexes/indexRange.js';
import { checkIndexSelect, checkQueryFilter, indexRecords } from '../indexes/indexReads.js';
import { checkExpressionParams } from '../items/request.js';
import { keyShapeOf, requireTable } from '../tables.js';
import { bool, conditionsRule, str } from '../validation/shape.js';
import { defineOperation } from './operation.js';

interface QueryRequest extends ReadRequest {
  ScanIndexForward?: boolean;
}

/** A filter runs after the key condition has chosen the items: DynamoDB refuses one on a key attribute. */
function checkFilterKeys(request: QueryRequest, filter: ConditionExpr | undefined, shape: KeyShape): void {
  if (!filter) return;
  const named = request.QueryFilter ? new Set(Object.keys(request.QueryFilter)) : new Set(conditionPaths(filter).map((path) => path[0]));
  const where = request.QueryFilter ? 'QueryFilter' : 'Filter Expression';
  for (const key of [shape.hash.name, shape.range?.name]) {
    if (key !== undefined && named.has(key)) invalid(`${where} can only contain non-primary key attributes: Primary key attribute: ${key}`);
  }
}

export const query = defineOperation<QueryRequest, unknown>({
  name: 'Query',
  shape: inReportOrder({
    ...readShape(),
    KeyConditionExpression: str(),
    KeyConditions: conditionsRule(),
    QueryFilter: conditionsRule(),
    ScanIndexForward: bool(),
  }, ['Select', 'IndexName', 'ReturnConsumedCapacity', 'QueryFilter', 'TableName', 'ConditionalOperator', 'AttributesToGet', 'Limit', 'KeyConditions']),
  run(ctx, request) {
    checkExpressionParams(request as unknown as Record<string, unknown>,
      ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'],
      ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions']);
    checkSelect(request, 'Query');
    // DynamoDB's order: the QueryFilter, AttributesToGet, the start key's values, then the key condition.
    const filter = legacyFilter(request);
    checkAttributesToGet(request.AttributesToGet);
    const startKey = normalizeStartKey(request.ExclusiveStartKey);
    if (request.KeyConditions == null && request.KeyConditionExpression == null) {
      invalid('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    }
    // The expressions are checked before KeyConditions; the QueryFilter's tree is already built.
    const expressions = parseExpressions(request);
    const legacy = legacyExpressions({ ...request, QueryFilter: undefined });
    const parsed = { ...legacy, ...(filter ? { filter } : {}), ...expressions };
    // An expression's comparisons are checked before the table is looked up; legacy KeyConditions against it.
    const keyParts = request.KeyConditionExpression === undefined ? undefined : keyConditionParts(parsed.keyCondition!);
    return ctx.store.read((txn) => {
      const table = requireTable(txn, request.TableName, ctx.clock.trueNowMs());
      const tableShape = keyShapeOf(table);
      const read = indexReadOf(table, request, parsed);
      const shape = read ? read.shape : tableShape;
      if (startKey) checkStartKeyCount(startKey, startKeyNames(tableShape, read?.shape));
      const beforeKey = startKey ? (key: KeyShape['hash']) => checkStartKeyElement(startKey, key) : undefined;
      const condition = keyParts ? matchKeySchema(keyParts, shape, beforeKey) : legacyKeyCondition(request.KeyConditions!, shape, beforeKey);
      checkKeyValueSizes(condition.hash, condition.range?.values);
      const reverse = request.ScanIndexForward === false;
      let range = read ? indexQueryRange(shape, condition) : queryRange(shape, condition);
      if (startKey) {
        const tableKey = tableStartKey(tableShape, startKey);
        checkStartKeyBounds(shape, condition, startKey);
        range = resumeAfter(range, encodedStartKey(read, tableKey, startKey), reverse);
      }
      checkKeyPaths(tableShape, parsed.projection?.paths ?? [], indexKeyNames(table));
      checkFilterKeys(request, parsed.filter, shape);
      if (read) {
        checkIndexSelect(read, request);
        checkQueryFilter(read, parsed);
      }
      if (parsed.filter) checkKeyPaths(tableShape, conditionPaths(parsed.filter), indexKeyNames(table));
      const storeId = read ? read.index.id : table.id;
      const records = txn.range(storeId, { start: range.start, end: range.end, reverse });
      if (!read) return pageFor(request, parsed, shape, records);
      return pageFor(request, parsed, shape, indexRecords(txn, table, read, records), indexPageOptions(request, read));
    });
  },
});
