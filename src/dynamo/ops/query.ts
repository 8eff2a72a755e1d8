/** Query: the items of one partition in sort-key order, narrowed by a key condition. */
import { parseExpressions, resolveKeyCondition } from '../../core/expr/index.js';
import { own } from '../../core/plainData.js';
import { valuesEqual } from '../../core/values.js';
import { invalid } from '../errors.js';
import { expressionInput } from '../items/legacy.js';
import { queryRange, resumeAfter } from '../items/keyRange.js';
import { checkKeyValueSizes } from '../items/keys.js';
import { pageFor } from '../items/page.js';
import { checkSelect, indexPageOptions, indexReadOf, normalizeStartKey, readShape, resolveIndexStartKey, resolveStartKey, type ReadRequest } from '../items/readRequest.js';
import { indexQueryRange } from '../indexes/indexRange.js';
import { checkQueryFilter, indexRecords } from '../indexes/indexReads.js';
import { checkExpressionParams } from '../items/request.js';
import { checkConditions } from '../validation/legacyConditions.js';
import { keyShapeOf, requireTable } from '../tables.js';
import { bool, conditionsRule, str } from '../validation/shape.js';
import { defineOperation } from './operation.js';

interface QueryRequest extends ReadRequest {
  ScanIndexForward?: boolean;
}

export const query = defineOperation<QueryRequest, unknown>({
  name: 'Query',
  shape: {
    ...readShape(),
    KeyConditionExpression: str(),
    KeyConditions: conditionsRule(),
    QueryFilter: conditionsRule(),
    ScanIndexForward: bool(),
  },
  run(ctx, request) {
    checkExpressionParams(request as unknown as Record<string, unknown>,
      ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'],
      ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions']);
    checkSelect(request, 'Query');
    checkConditions(request.QueryFilter);
    const startKey = normalizeStartKey(request.ExclusiveStartKey);
    if (request.KeyConditions == null && request.KeyConditionExpression == null) {
      invalid('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    }
    if (request.KeyConditionExpression == null) {
      checkConditions(request.KeyConditions);
      const count = Object.keys(request.KeyConditions!).length;
      if (count !== 1 && count !== 2) invalid('Conditions can be of length 1 or 2 only');
    }
    const parsed = parseExpressions(expressionInput(request));
    return ctx.store.read((txn) => {
      const table = requireTable(txn, request.TableName, ctx.clock.trueNowMs());
      const read = indexReadOf(table, request, parsed);
      const shape = read ? read.shape : keyShapeOf(table);
      const condition = resolveKeyCondition(parsed.keyCondition!, shape);
      checkKeyValueSizes(condition.hash, condition.range?.values);
      if (read) checkQueryFilter(read, parsed);
      const reverse = request.ScanIndexForward === false;
      let range = read ? indexQueryRange(shape, condition) : queryRange(shape, condition);
      const start = read ? resolveIndexStartKey(read, startKey) : resolveStartKey(shape, startKey);
      if (start) {
        if (!valuesEqual(own(start.keys, shape.hash.name)!, condition.hash)) {
          invalid('The provided starting key is outside query boundaries based on provided conditions');
        }
        range = resumeAfter(range, start.encoded, reverse);
      }
      const storeId = read ? read.index.id : table.id;
      const records = txn.range(storeId, { start: range.start, end: range.end, reverse });
      if (!read) return pageFor(request, parsed, shape, records);
      return pageFor(request, parsed, shape, indexRecords(txn, table, read, records), indexPageOptions(request, read));
    });
  },
});
