/** Checks shared by Query and Scan: Select, IndexName, ExclusiveStartKey. */
import { NumberFormatError } from '../../core/decimal.js';
import { CoreValidationError, RequestLimitError, ValueContentError } from '../../core/errors.js';
import type { Item } from '../../core/types.js';
import { normalizeItem } from '../../core/values.js';
import { invalid } from '../errors.js';
import type { ResolvedKey } from './keys.js';
import { commonItemShape, type ExpressionParams } from './request.js';
import type { LegacyCapableRequest } from './legacy.js';
import type { ParsedExpressions } from '../../core/expr/index.js';
import type { TableMeta } from '../tables.js';
import { indexCapacity, indexLastKey, indexRead, indexStartKey, type IndexRead } from '../indexes/indexReads.js';
import type { PageOptions } from './page.js';
import { bool, int, itemMap, list, str, TABLE_NAME_PATTERN, type FieldRule } from '../validation/shape.js';

/** The members of a Query or Scan request that both share. */
export interface ReadRequest extends ExpressionParams, LegacyCapableRequest {
  TableName: string;
  IndexName?: string;
  Select?: string;
  Limit?: number;
  ConsistentRead?: boolean;
  ExclusiveStartKey?: Item;
}

/**
 * Select's pairing with projections. DynamoDB words these per operation: Query wraps them in
 * the "1 validation error detected: " envelope, Scan does not.
 */
/** Members Query and Scan share. */
export const readShape = (): Record<string, FieldRule> => ({
  ...commonItemShape(),
  IndexName: str({ regex: TABLE_NAME_PATTERN, lengthMin: 3, lengthMax: 255 }),
  FilterExpression: str(),
  ProjectionExpression: str(),
  ConditionalOperator: str({ enum: ['OR', 'AND'] }),
  AttributesToGet: list(str(), { lengthMin: 1 }),
  Select: str({ enum: ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'] }),
  Limit: int({ min: 1 }),
  ConsistentRead: bool(),
  ExclusiveStartKey: itemMap(),
});

/**
 * A shape with the members DynamoDB reports first moved to the front, in its order: it lists at
 * most ten constraint failures, so the order decides which ones a request is told about.
 */
export function inReportOrder(shape: Record<string, FieldRule>, first: string[]): Record<string, FieldRule> {
  const ordered: Record<string, FieldRule> = {};
  for (const name of first) ordered[name] = shape[name];
  for (const [name, rule] of Object.entries(shape)) if (!first.includes(name)) ordered[name] = rule;
  return ordered;
}

export function checkSelect(request: ReadRequest, operation: 'Query' | 'Scan'): void {
  const fail = (message: string): never => invalid(operation === 'Query' ? `1 validation error detected: ${message}` : message);
  const projection = request.ProjectionExpression !== undefined ? 'ProjectionExpression'
    : request.AttributesToGet !== undefined ? 'AttributesToGet' : undefined;
  if (projection && request.Select && request.Select !== 'SPECIFIC_ATTRIBUTES') {
    fail(`Cannot specify the ${projection} when choosing to get ${request.Select === 'COUNT' ? 'only the Count' : request.Select}`);
  }
  if (request.Select === 'ALL_PROJECTED_ATTRIBUTES' && !request.IndexName) {
    fail('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
  }
  if (request.Select === 'SPECIFIC_ATTRIBUTES' && !projection) {
    fail('Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES');
  }
}

/**
 * The ExclusiveStartKey's values, checked before any table is looked up: most problems are
 * reported as 'The provided starting key is invalid: …', those of numbers and sets' contents bare.
 */
export function normalizeStartKey(startKey: Item | undefined): Item | undefined {
  if (!startKey) return undefined;
  try {
    return normalizeItem(startKey);
  } catch (error) {
    const bare = error instanceof NumberFormatError || error instanceof ValueContentError || error instanceof RequestLimitError;
    if (error instanceof CoreValidationError && !bare) invalid(`The provided starting key is invalid: ${error.message}`);
    throw error;
  }
}

/** The index a Query or Scan reads, if it names one (checked as DynamoDB checks it). */
export function indexReadOf(table: TableMeta, request: ReadRequest, parsed: ParsedExpressions): IndexRead | undefined {
  return request.IndexName === undefined ? undefined : indexRead(table, request, parsed);
}

/** Page options of an index read: its LastEvaluatedKey and ConsumedCapacity. */
export function indexPageOptions(request: ReadRequest, read: IndexRead): PageOptions {
  return {
    lastKeyOf: (item) => indexLastKey(read, item),
    capacityOf: (units) => indexCapacity(request.TableName, read, units, request.ReturnConsumedCapacity),
  };
}

/** The storage key to resume after: the checked start key, encoded for the table or the index read. */
export function encodedStartKey(read: IndexRead | undefined, tableKey: ResolvedKey, startKey: Item): Uint8Array {
  return read ? indexStartKey(read, startKey) : tableKey.encoded;
}
