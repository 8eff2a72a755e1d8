/** One page of a Query or Scan: Limit and the 1 MB read cap apply before the filter, as in DynamoDB. */
import { evaluateCondition, project, type ConditionExpr, type ParsedExpressions, type ProjectionExpr } from '../../core/expr/index.js';
import type { ReadRequest } from './readRequest.js';
import type { Item, KeyShape } from '../../core/types.js';
import { own, setOwn } from '../../core/plainData.js';
import { itemSize } from '../../core/values.js';
import type { KeyedRecord } from '../../storage/store.js';
import { consumedCapacity, readUnits } from './request.js';

const PAGE_BYTES = 1024 * 1024;

export interface PageRequest {
  tableName: string;
  shape: KeyShape;
  records: Iterable<KeyedRecord>;
  limit?: number;
  filter?: ConditionExpr;
  projection?: ProjectionExpr;
  select?: string;
  consistent: boolean;
  returnConsumedCapacity?: string;
  /** A LastEvaluatedKey's attributes (an index read names the index key and the table key); the table key by default. */
  lastKeyOf?: (item: Item) => Item;
  /** ConsumedCapacity for the units read (an index read reports the index); the table's by default. */
  capacityOf?: (units: number) => Record<string, unknown>;
}

export type PageOptions = Pick<PageRequest, 'lastKeyOf' | 'capacityOf'>;

/** The page a Query or Scan request asks for, over the records its key range selects. */
export function pageFor(request: ReadRequest, parsed: ParsedExpressions, shape: KeyShape, records: Iterable<KeyedRecord>, options: PageOptions = {}): Record<string, unknown> {
  return readPage({
    tableName: request.TableName,
    shape,
    records,
    limit: request.Limit,
    filter: parsed.filter,
    projection: parsed.projection,
    select: request.Select,
    consistent: request.ConsistentRead === true,
    returnConsumedCapacity: request.ReturnConsumedCapacity,
    ...options,
  });
}

function keyOf(shape: KeyShape, item: Item): Item {
  const key: Item = { [shape.hash.name]: own(item, shape.hash.name)! };
  if (shape.range) setOwn(key, shape.range.name, own(item, shape.range.name)!);
  return key;
}

export function readPage(request: PageRequest): Record<string, unknown> {
  const items: Item[] = [];
  let scanned = 0;
  let bytes = 0;
  let last: Item | undefined;
  let truncated = false;
  for (const { record } of request.records) {
    if (!record.item) continue; // tombstones are replication state, invisible to readers
    if ((request.limit !== undefined && scanned >= request.limit) || bytes >= PAGE_BYTES) {
      truncated = true;
      break;
    }
    scanned += 1;
    bytes += itemSize(record.item);
    last = record.item;
    if (!request.filter || evaluateCondition(request.filter, record.item)) items.push(record.item);
  }
  // DynamoDB also returns a LastEvaluatedKey when the page ends exactly at the limit or the cap.
  if (!truncated && last && ((request.limit !== undefined && scanned >= request.limit) || bytes >= PAGE_BYTES)) truncated = true;

  const response: Record<string, unknown> = { Count: items.length, ScannedCount: scanned };
  if (request.select !== 'COUNT') {
    response.Items = request.projection ? items.map((item) => project(item, request.projection!)) : items;
  }
  if (truncated && last) response.LastEvaluatedKey = request.lastKeyOf ? request.lastKeyOf(last) : keyOf(request.shape, last);
  const units = readUnits(bytes, request.consistent);
  return { ...response, ...(request.capacityOf ? request.capacityOf(units) : consumedCapacity(request.tableName, units, request.returnConsumedCapacity)) };
}
