/**
 * What a local write must satisfy on a table with secondary indexes: index key attributes of the
 * defined type, not empty; an update is judged on the types it writes before it runs, then on what it wrote.
 */
import { own } from '../../core/plainData.js';
import type { UpdateAction, UpdateExpr } from '../../core/expr/ast.js';
import type { Item } from '../../core/types.js';
import { attributeType } from '../../core/values.js';
import { invalid } from '../errors.js';
import type { TableMeta } from '../tables.js';
import { indexShapeOf, maintainedIndexes } from './indexMeta.js';

export function checkIndexKeys(table: TableMeta, item: Item): void {
  for (const index of maintainedIndexes(table)) {
    const shape = indexShapeOf(table, index);
    for (const key of shape.range ? [shape.hash, shape.range] : [shape.hash]) {
      const value = own(item, key.name);
      if (!value) continue;
      const actual = attributeType(value);
      if (actual !== key.type) {
        invalid(`One or more parameter values were invalid: Type mismatch for Index Key ${key.name} Expected: ${key.type} Actual: ${actual} IndexName: ${index.name}`);
      }
      if ((actual === 'S' && (value as { S: string }).S === '') || (actual === 'B' && (value as { B: string }).B === '')) {
        invalid('One or more parameter values are not valid. A value specified for a secondary index key is not supported. '
          + `The AttributeValue for a key attribute cannot contain an empty ${actual === 'S' ? 'string' : 'binary'} value. IndexName: ${index.name}, IndexKey: ${key.name}`);
      }
    }
  }
}

/** The type an update's value has whatever the item holds, when that is known before reading it. */
function knownType(action: UpdateAction): string | undefined {
  if (action.kind === 'remove') return undefined;
  if (action.kind !== 'set') return attributeType(action.value);
  const { value } = action;
  if (value.kind === 'value') return attributeType(value.value);
  if (value.kind === 'plus' || value.kind === 'minus' || value.kind === 'size') return 'N';
  if (value.kind === 'list_append') return 'L';
  // A path or if_not_exists takes its type from the item.
  return undefined;
}

/** Each index key attribute, index by index in definition order, with the action that writes it whole. */
function writtenIndexKeys(table: TableMeta, update: UpdateExpr): { index: string; name: string; type: string; action: UpdateAction }[] {
  const written = [];
  for (const index of maintainedIndexes(table)) {
    const shape = indexShapeOf(table, index);
    for (const key of shape.range ? [shape.hash, shape.range] : [shape.hash]) {
      const action = update.actions.find((candidate) => candidate.path.length === 1 && candidate.path[0] === key.name);
      if (action) written.push({ index: index.name, name: key.name, type: key.type, action });
    }
  }
  return written;
}

/** An update that gives an index key a type other than its own, seen before any value is read. */
export function checkIndexKeyUpdateTypes(table: TableMeta, update: UpdateExpr): void {
  for (const { index, name, type, action } of writtenIndexKeys(table, update)) {
    const actual = knownType(action);
    if (actual !== undefined && actual !== type) {
      invalid(`One or more parameter values were invalid: Type mismatch for Index Key ${name} Expected: ${type} Actual: ${actual} IndexName: ${index}`);
    }
  }
}

/** An update that copied a value of another type into an index key (SET c = e): known only once applied. */
export function checkIndexKeyUpdateResults(table: TableMeta, update: UpdateExpr, next: Item): void {
  for (const { name, type, action } of writtenIndexKeys(table, update)) {
    const value = own(next, name);
    if (knownType(action) === undefined && value && attributeType(value) !== type) {
      invalid('The update expression attempted to update the secondary index key to unsupported type');
    }
  }
}
