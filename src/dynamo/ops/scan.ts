/** Scan: every item of a table, in key-hash order, optionally one segment of a parallel scan. */
import { conditionPaths } from '../../core/expr/index.js';
import { segmentBounds } from '../../core/keys.js';
import { checkKeyPaths, indexKeyNames } from '../items/keys.js';
import { invalid } from '../errors.js';
import { requestExpressions } from '../items/legacy.js';
import { resumeAfter, type KeyRange } from '../items/keyRange.js';
import { pageFor } from '../items/page.js';
import { checkSelect, indexPageOptions, indexReadOf, normalizeStartKey, readShape, resolveIndexStartKey, resolveStartKey, type ReadRequest } from '../items/readRequest.js';
import { indexRecords } from '../indexes/indexReads.js';
import { checkExpressionParams } from '../items/request.js';
import { keyShapeOf, requireTable } from '../tables.js';
import { conditionsRule, int } from '../validation/shape.js';
import { defineOperation } from './operation.js';

interface ScanRequest extends ReadRequest {
  Segment?: number;
  TotalSegments?: number;
}

function checkSegments(request: ScanRequest): void {
  if (request.Segment !== undefined && request.TotalSegments === undefined) {
    invalid('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
  }
  if (request.TotalSegments !== undefined) {
    if (request.Segment === undefined) {
      invalid('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
    }
    if (request.Segment >= request.TotalSegments) {
      invalid(`The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${request.Segment} is not less than TotalSegments: ${request.TotalSegments}`);
    }
  }
}

export const scan = defineOperation<ScanRequest, unknown>({
  name: 'Scan',
  shape: {
    ...readShape(),
    ScanFilter: conditionsRule(),
    Segment: int({ min: 0, max: 999999 }),
    TotalSegments: int({ min: 1, max: 1000000 }),
  },
  run(ctx, request) {
    checkExpressionParams(request as unknown as Record<string, unknown>,
      ['ProjectionExpression', 'FilterExpression'], ['AttributesToGet', 'ScanFilter', 'ConditionalOperator']);
    checkSelect(request, 'Scan');
    const startKey = normalizeStartKey(request.ExclusiveStartKey);
    checkSegments(request);
    const parsed = requestExpressions(request);
    return ctx.store.read((txn) => {
      const table = requireTable(txn, request.TableName, ctx.clock.trueNowMs());
      const read = indexReadOf(table, request, parsed);
      const shape = keyShapeOf(table);
      let range: KeyRange = request.TotalSegments !== undefined
        ? segmentBounds(request.Segment!, request.TotalSegments)
        : { start: new Uint8Array(0) };
      const start = read ? resolveIndexStartKey(read, startKey) : resolveStartKey(shape, startKey);
      if (start) range = resumeAfter(range, start.encoded, false);
      checkKeyPaths(shape, parsed.projection?.paths ?? [], indexKeyNames(table));
      if (parsed.filter) checkKeyPaths(shape, conditionPaths(parsed.filter), indexKeyNames(table));
      const records = txn.range(read ? read.index.id : table.id, { start: range.start, end: range.end });
      if (!read) return pageFor(request, parsed, shape, records);
      return pageFor(request, parsed, shape, indexRecords(txn, table, read, records), indexPageOptions(request, read));
    });
  },
});
