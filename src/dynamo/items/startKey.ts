/**
 * A Query's or Scan's ExclusiveStartKey checked against the schema it resumes, in DynamoDB's
 * order and words: first how many attributes it holds (the table's key and the index's), then
 * each attribute of the key read (a Query interleaves this with its key condition, attribute by
 * attribute), then the table's key inside it, then where it lies relative to the condition.
 */
import type { ConditionExpr, KeyCondition } from '../../core/expr/index.js';
import { evaluateCondition } from '../../core/expr/index.js';
import { own, setOwn } from '../../core/plainData.js';
import type { AttributeValue, Item, KeyShape } from '../../core/types.js';
import { attributeType, valuesEqual } from '../../core/values.js';
import { invalid } from '../errors.js';
import { EmptyKeyValueError, keyOfKeyParam, type ResolvedKey } from './keys.js';

type KeyElement = KeyShape['hash'];

const BARE = 'The provided starting key is invalid';

/** The attributes a start key holds: the table's key attributes and, reading an index, the index's. */
export function startKeyNames(tableShape: KeyShape, indexShape?: KeyShape): Set<string> {
  const names = new Set<string>();
  for (const key of [tableShape.hash, tableShape.range, indexShape?.hash, indexShape?.range]) if (key) names.add(key.name);
  return names;
}

/** Refuses a start key holding more or fewer attributes than the key it resumes. */
export function checkStartKeyCount(startKey: Item, names: Set<string>, message = BARE): void {
  if (Object.keys(startKey).length !== names.size) invalid(message);
}

/** One key attribute of the key read (the index's when reading an index), as the start key gives it. */
export function checkStartKeyElement(startKey: Item, key: KeyElement): void {
  const value = own(startKey, key.name);
  if (!value) invalid(BARE);
  if (attributeType(value) !== key.type) invalid('The provided key element does not match the schema');
  if (('S' in value && value.S === '') || ('B' in value && value.B === '')) {
    throw new EmptyKeyValueError(key.name, key.type === 'S' ? 'string' : 'binary');
  }
}

/** Each attribute of an index's key, in schema order (a Scan checks them before the table's key). */
export function checkStartKeyElements(startKey: Item, shape: KeyShape): void {
  checkStartKeyElement(startKey, shape.hash);
  if (shape.range) checkStartKeyElement(startKey, shape.range);
}

/** The table's key inside a start key; its problems are reported as 'The provided starting key is invalid: …'. */
export function tableStartKey(tableShape: KeyShape, startKey: Item): ResolvedKey {
  const keys: Item = {};
  for (const key of [tableShape.hash, tableShape.range]) {
    const value = key && own(startKey, key.name);
    if (key && value) setOwn(keys, key.name, value);
  }
  try {
    return keyOfKeyParam(tableShape, keys);
  } catch (error) {
    if (error instanceof Error) invalid(`${BARE}: ${error.message}`);
    throw error;
  }
}

function rangePredicate(name: string, range: NonNullable<KeyCondition['range']>): ConditionExpr {
  const path = { kind: 'path' as const, path: [name] };
  const [low, high] = range.values.map((value: AttributeValue) => ({ kind: 'value' as const, value }));
  if (range.op === 'BETWEEN') return { kind: 'between', subject: path, low, high };
  if (range.op === 'BEGINS_WITH') return { kind: 'function', name: 'begins_with', args: [path, low] };
  return { kind: 'compare', op: range.op, left: path, right: low };
}

/**
 * A Query's start key must lie inside what its condition selects. With a sort key condition,
 * the sort key is checked first, and a partition that differs is then reported as a restart
 * of a query that can return at most one row (DynamoDB's words).
 */
export function checkStartKeyBounds(shape: KeyShape, condition: KeyCondition, startKey: Item): void {
  const hashMatches = valuesEqual(own(startKey, shape.hash.name)!, condition.hash);
  if (!shape.range || !condition.range) {
    if (!hashMatches) invalid('The provided starting key is outside query boundaries based on provided conditions');
    return;
  }
  if (!evaluateCondition(rangePredicate(shape.range.name, condition.range), startKey)) {
    invalid('The provided starting key does not match the range key predicate');
  }
  if (!hashMatches) invalid('The query can return at most one row and cannot be restarted');
}
