/** Scan: every item of a table, in key-hash order, optionally one segment of a parallel scan. */
import { conditionPaths } from '../../core/expr/index.js';
import { segmentBounds } from '../../core/keys.js';
import { checkKeyPaths, indexKeyNames } from '../items/keys.js';
import { invalid } from '../errors.js';
import { legacyExpressions, withExpressions } from '../items/legacy.js';
import { resumeAfter, withinSegment, type KeyRange } from '../items/keyRange.js';
import { checkStartKeyCount, checkStartKeyElements, startKeyNames, tableStartKey } from '../items/startKey.js';
import { pageFor } from '../items/page.js';
import { checkSelect, encodedStartKey, inReportOrder, indexPageOptions, indexReadOf, normalizeStartKey, readShape, type ReadRequest } from '../items/readRequest.js';
import { checkIndexSelect, indexRecords } from '../indexes/indexReads.js';
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
  shape: inReportOrder({
    ...readShape(),
    ScanFilter: conditionsRule(),
    Segment: int({ min: 0, max: 999999 }),
    TotalSegments: int({ min: 1, max: 1000000 }),
  }, ['Select', 'IndexName', 'TotalSegments', 'ReturnConsumedCapacity', 'TableName', 'ConditionalOperator', 'ScanFilter', 'Segment', 'Limit', 'AttributesToGet']),
  run(ctx, request) {
    checkExpressionParams(request as unknown as Record<string, unknown>,
      ['ProjectionExpression', 'FilterExpression'], ['AttributesToGet', 'ScanFilter', 'ConditionalOperator']);
    checkSelect(request, 'Scan');
    // DynamoDB's order: AttributesToGet and the ScanFilter, the start key's values, segments, expressions.
    const legacy = legacyExpressions(request);
    const startKey = normalizeStartKey(request.ExclusiveStartKey);
    checkSegments(request);
    const parsed = withExpressions(legacy, request);
    return ctx.store.read((txn) => {
      const table = requireTable(txn, request.TableName, ctx.clock.trueNowMs());
      const read = indexReadOf(table, request, parsed);
      const shape = keyShapeOf(table);
      if (startKey) {
        // A table's start key of the wrong size is a schema mismatch; an index's is bare.
        const mismatch = read ? undefined : 'The provided starting key is invalid: The provided key element does not match the schema';
        checkStartKeyCount(startKey, startKeyNames(shape, read?.shape), mismatch);
        if (read) checkStartKeyElements(startKey, read.shape);
      }
      if (read) checkIndexSelect(read, request);
      const segment = request.TotalSegments !== undefined ? segmentBounds(request.Segment!, request.TotalSegments) : undefined;
      let range: KeyRange = segment ?? { start: new Uint8Array(0) };
      if (startKey) {
        const encoded = encodedStartKey(read, tableStartKey(shape, startKey), startKey);
        if (segment && !withinSegment(segment, encoded)) {
          invalid(`The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: ${request.TotalSegments} Segment: ${request.Segment}`);
        }
        range = resumeAfter(range, encoded, false);
      }
      checkKeyPaths(shape, parsed.projection?.paths ?? [], indexKeyNames(table));
      if (parsed.filter) checkKeyPaths(shape, conditionPaths(parsed.filter), indexKeyNames(table));
      const records = txn.range(read ? read.index.id : table.id, { start: range.start, end: range.end });
      if (!read) return pageFor(request, parsed, shape, records);
      return pageFor(request, parsed, shape, indexRecords(txn, table, read, records), indexPageOptions(request, read));
    });
  },
});
