/**
 * A Query's legacy KeyConditions matched to the table's key schema, checked in DynamoDB's order
 * and worded as DynamoDB words them for KeyConditions (not as for a KeyConditionExpression).
 */
import type { KeyCondition } from '../../core/expr/index.js';
import { lookupTable } from '../../core/plainData.js';
import type { KeyShape } from '../../core/types.js';
import { attributeType, normalizeAttributeValue } from '../../core/values.js';
import { invalid } from '../errors.js';
import type { LegacyCondition } from './legacy.js';

type RangeOp = NonNullable<KeyCondition['range']>['op'];

const KEY_OPERATORS = lookupTable<RangeOp>({ EQ: '=', LE: '<=', LT: '<', GE: '>=', GT: '>', BEGINS_WITH: 'BEGINS_WITH', BETWEEN: 'BETWEEN' });

/** Checked before the table is looked up: a key condition names one or two attributes. */
export function checkKeyConditionCount(specs: Record<string, LegacyCondition>): void {
  const count = Object.keys(specs).length;
  if (count < 1 || count > 2) invalid('Conditions can be of length 1 or 2 only');
}

/** `beforeKey` runs as each key attribute is reached: DynamoDB checks the start key's piece there. */
export function legacyKeyCondition(
  specs: Record<string, LegacyCondition>, shape: KeyShape, beforeKey: (key: KeyShape['hash']) => void = () => {},
): KeyCondition {
  const count = Object.keys(specs).length;
  const keys = [{ ...shape.hash, hash: true }, ...(shape.range ? [{ ...shape.range, hash: false }] : [])];
  let hash: KeyCondition['hash'] | undefined;
  let range: KeyCondition['range'];
  for (const key of keys) {
    beforeKey(key);
    if (key.hash && !shape.range && count > 1) invalid('Query key condition not supported');
    const spec = Object.hasOwn(specs, key.name) ? specs[key.name] : undefined;
    if (!spec) {
      if (key.hash || count > 1) invalid(`Query condition missed key schema element: ${key.name}`);
      continue;
    }
    const op = KEY_OPERATORS[spec.ComparisonOperator ?? ''];
    if (!op) invalid('Attempted conditional constraint is not an indexable operation');
    const values = (spec.AttributeValueList ?? []).map((value) => normalizeAttributeValue(value));
    if (values.some((value) => attributeType(value) !== key.type)) {
      invalid('One or more parameter values were invalid: Condition parameter type does not match schema type');
    }
    if (key.hash && op !== '=') invalid('Query key condition not supported');
    if (key.hash) hash = values[0];
    else range = { op, values };
  }
  return { hash: hash!, ...(range ? { range } : {}) };
}
