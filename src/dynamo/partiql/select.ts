/**
 * A PartiQL SELECT as the read it amounts to: GetItem for a whole key and nothing else, Query when
 * the partition key is pinned (one sort-key condition joins the key condition, the rest filter),
 * Scan otherwise. Each runs through its operation's own code.
 */
import { Constants, ExpressionWriter, isFullKey, keyTerms, type PqExpr, type SelectStatement } from '../../core/partiql/index.js';
import { own } from '../../core/plainData.js';
import type { AttributeValue, Item, KeyShape } from '../../core/types.js';
import { invalid } from '../errors.js';
import { getItem } from '../ops/getItem.js';
import { query } from '../ops/query.js';
import { scan } from '../ops/scan.js';
import type { RegionContext } from '../context.js';
import { tableKeyShape } from './tableKey.js';

export type ReadPlan =
  | { operation: 'GetItem'; request: Record<string, unknown> }
  | { operation: 'Query' | 'Scan'; request: Record<string, unknown> };

export interface ReadOptions {
  consistentRead?: boolean;
  limit?: number;
  exclusiveStartKey?: Item;
  returnConsumedCapacity?: string;
}

export interface ReadResult {
  items: Item[];
  lastEvaluatedKey?: Item;
  consumedCapacity?: unknown;
}

/** Whether a term can join the key condition: one comparison of the sort key with values. */
function isSortKeyTerm(term: PqExpr, sortKey: string, constants: Constants): boolean {
  const onKey = (expr: PqExpr): boolean => expr.kind === 'path' && expr.path.length === 1 && expr.path[0] === sortKey;
  const isValue = (expr: PqExpr): boolean => constants.valueOf(expr) !== undefined;
  switch (term.kind) {
    case 'compare': return term.op !== '<>' && ((onKey(term.left) && isValue(term.right)) || (onKey(term.right) && isValue(term.left)));
    case 'between': return onKey(term.subject) && isValue(term.low) && isValue(term.high);
    case 'call': return term.name === 'begins_with' && term.args.length === 2 && onKey(term.args[0]) && isValue(term.args[1]);
    default: return false;
  }
}

function checkOrderBy(select: SelectStatement, shape: KeyShape, hashPinned: boolean): void {
  if (!select.orderBy.length) return;
  if (!select.where) invalid('Must have WHERE clause in the statement when using ORDER BY clause.');
  if (!hashPinned) invalid('Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.');
  for (const { attribute } of select.orderBy) {
    if (attribute !== shape.hash.name && attribute !== shape.range?.name) {
      invalid(`Variable reference ${attribute} in ORDER BY clause must be part of the primary key`);
    }
  }
}

const joined = (parts: string[]): string | undefined => (parts.length ? parts.map((part) => `(${part})`).join(' AND ') : undefined);

export function planSelect(select: SelectStatement, shape: KeyShape, constants: Constants): ReadPlan {
  const writer = new ExpressionWriter(constants);
  const base = { TableName: select.table };
  const projection = select.projection?.map((path) => writer.path(path)).join(', ');
  const withProjection = (request: Record<string, unknown>): Record<string, unknown> =>
    ({ ...request, ...(projection ? { ProjectionExpression: projection } : {}), ...writer.placeholders() });
  if (select.index !== undefined) {
    // The index's own key schema decides how it is read; without one, it is scanned.
    const filter = select.where ? writer.condition(select.where) : undefined;
    return { operation: 'Scan', request: withProjection({ ...base, IndexName: select.index, ...(filter ? { FilterExpression: filter } : {}) }) };
  }
  const { key, rest } = keyTerms(select.where, shape, constants, false);
  const hash = own(key, shape.hash.name);
  checkOrderBy(select, shape, hash !== undefined);
  if (hash && isFullKey(key, shape) && !rest.length && !select.orderBy.length) {
    return { operation: 'GetItem', request: withProjection({ ...base, Key: key }) };
  }
  if (!hash) {
    const filter = select.where ? writer.condition(select.where) : undefined;
    return { operation: 'Scan', request: withProjection({ ...base, ...(filter ? { FilterExpression: filter } : {}) }) };
  }
  const keyParts = [`${writer.name(shape.hash.name)} = ${writer.value(hash)}`];
  const filters = [...rest];
  const range = shape.range && own(key, shape.range.name);
  if (shape.range && range) keyParts.push(`${writer.name(shape.range.name)} = ${writer.value(range as AttributeValue)}`);
  else if (shape.range) {
    const sortTerm = filters.findIndex((term) => isSortKeyTerm(term, shape.range!.name, constants));
    if (sortTerm >= 0) keyParts.push(writer.condition(filters.splice(sortTerm, 1)[0]));
  }
  const keyCondition = joined(keyParts)!;
  const filter = joined(filters.map((term) => writer.condition(term)));
  const descending = select.orderBy.some(({ attribute, descending: desc }) => desc && attribute === shape.range?.name);
  return {
    operation: 'Query',
    request: withProjection({
      ...base, KeyConditionExpression: keyCondition, ...(filter ? { FilterExpression: filter } : {}), ...(descending ? { ScanIndexForward: false } : {}),
    }),
  };
}

/** Runs the read a SELECT plans and answers its items. */
export async function runSelect(ctx: RegionContext, select: SelectStatement, constants: Constants, options: ReadOptions): Promise<ReadResult> {
  const plan = planSelect(select, tableKeyShape(ctx, select.table), constants);
  const common = {
    ...(options.consistentRead !== undefined ? { ConsistentRead: options.consistentRead } : {}),
    ...(options.returnConsumedCapacity ? { ReturnConsumedCapacity: options.returnConsumedCapacity } : {}),
  };
  if (plan.operation === 'GetItem') {
    const response = await getItem.run(ctx, { ...plan.request, ...common } as never, {}) as { Item?: Item; ConsumedCapacity?: unknown };
    return { items: response.Item ? [response.Item] : [], consumedCapacity: response.ConsumedCapacity };
  }
  const request = {
    ...plan.request, ...common,
    ...(options.limit !== undefined ? { Limit: options.limit } : {}),
    ...(options.exclusiveStartKey ? { ExclusiveStartKey: options.exclusiveStartKey } : {}),
  };
  const op = plan.operation === 'Query' ? query : scan;
  const response = await op.run(ctx, request as never, {}) as { Items: Item[]; LastEvaluatedKey?: Item; ConsumedCapacity?: unknown };
  return { items: response.Items, lastEvaluatedKey: response.LastEvaluatedKey, consumedCapacity: response.ConsumedCapacity };
}
