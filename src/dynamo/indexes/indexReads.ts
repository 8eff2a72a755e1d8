/**
 * Query and Scan on a secondary index: which index, what a request may ask of it (DynamoDB's
 * messages), the start key (index key and table key), and the items a page shows — the entries
 * themselves, or for a local index asked for attributes it does not project, the table's items.
 */
import type { ConditionExpr, Operand, ParsedExpressions } from '../../core/expr/index.js';
import { encodeEntryKey } from '../../core/indexKeys.js';
import { encodeItemKey } from '../../core/keys.js';
import { own, setOwn } from '../../core/plainData.js';
import type { Item, KeyShape } from '../../core/types.js';
import { itemSize } from '../../core/values.js';
import type { KeyedRecord, StoreTxn } from '../../storage/store.js';
import { invalid } from '../errors.js';
import { readUnits } from '../items/request.js';
import type { ReadRequest } from '../items/readRequest.js';
import { keyShapeOf, type TableMeta } from '../tables.js';
import { findIndex, indexShapeOf, keyAttributeNames, projectedNames, type IndexMeta } from './indexMeta.js';

export interface IndexRead {
  index: IndexMeta;
  /** The index's key shape: what the key condition is matched to. */
  shape: KeyShape;
  tableShape: KeyShape;
  /** The attributes of a LastEvaluatedKey / ExclusiveStartKey. */
  keyNames: string[];
  /** Whether items come from the table (a local index asked for attributes it does not project). */
  fetchFromTable: boolean;
  consistent: boolean;
  /** Bytes of the index entries read on the way to the table's items: the index's share of the capacity. */
  entryBytes: number;
}

/** The index a request names, checked as DynamoDB checks it. */
export function indexRead(table: TableMeta, request: ReadRequest, parsed: ParsedExpressions): IndexRead {
  const name = request.IndexName!;
  const index = findIndex(table, name);
  if (!index || index.status === 'DELETING') invalid(`The table does not have the specified index: ${name}`);
  const global = index.kind === 'global';
  if (global && request.ConsistentRead) invalid('Consistent reads are not supported on global secondary indexes');
  if (index.status === 'CREATING') invalid(`Cannot read from backfilling global secondary index: ${name}`);
  const shape = indexShapeOf(table, index);
  const tableShape = keyShapeOf(table);
  const projected = projectedNames(tableShape, shape, index);
  if (global && projected) checkProjected(name, projected, parsed);
  const fetchFromTable = !global && projected !== undefined && (request.Select === 'ALL_ATTRIBUTES'
    || [...namesUsed(parsed)].some((attribute) => !projected.has(attribute)));
  return {
    index, shape, tableShape, keyNames: keyAttributeNames(tableShape, shape), fetchFromTable,
    consistent: request.ConsistentRead === true, entryBytes: 0,
  };
}

/**
 * A global index cannot fetch from the table: asking it for all attributes is refused (checked
 * after the start key and the key condition).
 */
export function checkIndexSelect(read: IndexRead, request: ReadRequest): void {
  const projected = projectedNames(read.tableShape, read.shape, read.index);
  if (read.index.kind === 'global' && projected && request.Select === 'ALL_ATTRIBUTES') {
    invalid(`One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${read.index.name} because its projection type is not ALL`);
  }
}

/** Nor can it be asked for attributes it does not project. */
function checkProjected(name: string, projected: Set<string>, parsed: ParsedExpressions): void {
  const missing = new Set<string>();
  for (const path of parsed.projection?.paths ?? []) if (!projected.has(String(path[0]))) missing.add(String(path[0]));
  if (missing.size) invalid(`One or more parameter values were invalid: Global secondary index ${name} does not project [${[...missing].join(', ')}]`);
}

/** Top-level attributes the projection and the filter read. */
function namesUsed(parsed: ParsedExpressions): Set<string> {
  const names = filterNames(parsed);
  for (const path of parsed.projection?.paths ?? []) names.add(String(path[0]));
  return names;
}

/** Top-level attributes the filter reads. */
function filterNames(parsed: ParsedExpressions): Set<string> {
  const names = new Set<string>();
  const operand = (o: Operand): void => { if (o.kind !== 'value') names.add(String(o.path[0])); };
  const pending: ConditionExpr[] = parsed.filter ? [parsed.filter] : [];
  while (pending.length) {
    const expr = pending.pop()!;
    switch (expr.kind) {
      case 'compare': operand(expr.left); operand(expr.right); break;
      case 'between': operand(expr.subject); operand(expr.low); operand(expr.high); break;
      case 'in': operand(expr.subject); expr.options.forEach(operand); break;
      case 'and': case 'or': pending.push(expr.left, expr.right); break;
      case 'not': pending.push(expr.operand); break;
      default: expr.args.forEach(operand);
    }
  }
  return names;
}

/**
 * A Query on a global index filters the entries themselves: a filter on an attribute the index
 * does not project is refused, naming them in order (a local index fetches them from the table).
 */
export function checkQueryFilter(read: IndexRead, parsed: ParsedExpressions): void {
  const projected = projectedNames(read.tableShape, read.shape, read.index);
  if (read.index.kind !== 'global' || !projected) return;
  const missing = [...filterNames(parsed)].filter((name) => !projected.has(name)).sort();
  if (missing.length) {
    invalid(`One or more parameter values were invalid: Secondary index ${read.index.name} does not project one or more filter attributes: [${missing.join(', ')}]`);
  }
}

/** The entry key an ExclusiveStartKey names (checked by the caller against both key schemas). */
export function indexStartKey(read: IndexRead, startKey: Item): Uint8Array {
  return encodeEntryKey(read.shape, read.tableShape, startKey);
}

export function indexLastKey(read: IndexRead, item: Item): Item {
  const key: Item = {};
  for (const name of read.keyNames) setOwn(key, name, own(item, name)!);
  return key;
}

/** The records a page reads: the entries, or the table items they point to. */
export function* indexRecords(txn: StoreTxn, table: TableMeta, read: IndexRead, entries: Iterable<KeyedRecord>): Iterable<KeyedRecord> {
  for (const entry of entries) {
    if (!read.fetchFromTable) {
      yield entry;
      continue;
    }
    read.entryBytes += itemSize(entry.record.item!);
    const record = txn.getItem(table.id, encodeItemKey(read.tableShape, entry.record.item!));
    if (record?.item) yield { key: entry.key, record };
  }
}

/**
 * ConsumedCapacity of a read on an index: `units` are those of the records the page read. A read
 * that fetches from the table is charged the table's items there and the entries to the index.
 */
export function indexCapacity(tableName: string, read: IndexRead, units: number, mode: string | undefined): Record<string, unknown> {
  const tableUnits = read.fetchFromTable ? units : 0;
  const indexUnits = read.fetchFromTable ? readUnits(read.entryBytes, read.consistent) : units;
  if (mode === 'TOTAL') return { ConsumedCapacity: { TableName: tableName, CapacityUnits: tableUnits + indexUnits } };
  if (mode !== 'INDEXES') return {};
  const group = read.index.kind === 'global' ? 'GlobalSecondaryIndexes' : 'LocalSecondaryIndexes';
  return {
    ConsumedCapacity: {
      TableName: tableName, CapacityUnits: tableUnits + indexUnits,
      Table: { CapacityUnits: tableUnits }, [group]: { [read.index.name]: { CapacityUnits: indexUnits } },
    },
  };
}
