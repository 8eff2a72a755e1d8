/**
 * DynamoDB's checks of the legacy parameters (Expected, AttributeUpdates, KeyConditions,
 * QueryFilter, ScanFilter), made with the rest of request validation, before any table is looked
 * up: each entry's members must make sense together, with values of the right number and types.
 */
import { lookupTable } from '../../core/plainData.js';
import type { AttributeValue } from '../../core/types.js';
import { compareScalars, normalizeAttributeValue } from '../../core/values.js';
import { invalid } from '../errors.js';
import type { LegacyCapableRequest, LegacyCondition } from '../items/legacy.js';

const PREFIX = 'One or more parameter values were invalid: ';

/** How many values each operator takes (IN: one or more). */
const ARGUMENTS = lookupTable<{ min: number; max: number }>({
  NULL: { min: 0, max: 0 },
  NOT_NULL: { min: 0, max: 0 },
  EQ: { min: 1, max: 1 },
  NE: { min: 1, max: 1 },
  LE: { min: 1, max: 1 },
  LT: { min: 1, max: 1 },
  GE: { min: 1, max: 1 },
  GT: { min: 1, max: 1 },
  CONTAINS: { min: 1, max: 1 },
  NOT_CONTAINS: { min: 1, max: 1 },
  BEGINS_WITH: { min: 1, max: 1 },
  IN: { min: 1, max: Infinity },
  BETWEEN: { min: 2, max: 2 },
});

const SCALARS = ['S', 'N', 'B'];
/** The value types an operator of a filter or key condition accepts (EQ and NE: any). */
const ACCEPTED_TYPES = lookupTable<readonly string[]>({
  LE: SCALARS, LT: SCALARS, GE: SCALARS, GT: SCALARS, IN: SCALARS, BETWEEN: SCALARS,
  CONTAINS: SCALARS, NOT_CONTAINS: SCALARS, BEGINS_WITH: ['S', 'B'],
});

const typeOf = (value: AttributeValue): string => Object.keys(value)[0];

function checkArgumentCount(operator: string, count: number): void {
  const expected = ARGUMENTS[operator];
  if (expected && (count < expected.min || count > expected.max)) {
    invalid(`${PREFIX}Invalid number of argument(s) for the ${operator} ComparisonOperator`);
  }
}

function checkSameType(values: AttributeValue[]): void {
  if (values.some((value) => typeOf(value) !== typeOf(values[0]))) {
    invalid(`${PREFIX}AttributeValues inside AttributeValueList must be of same type`);
  }
}

function checkBetweenOrder(operator: string, values: AttributeValue[]): void {
  if (operator === 'BETWEEN' && compareScalars(values[0], values[1]) === 1) {
    invalid('The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
  }
}

/** Expected: Exists/Value, or ComparisonOperator with Value or AttributeValueList, per attribute. */
export function checkExpected(expected: LegacyCapableRequest['Expected']): void {
  for (const [attribute, condition] of Object.entries(expected ?? {})) {
    // A null entry is refused with the rewrite's own words.
    if (condition == null) continue;
    const { ComparisonOperator: operator, AttributeValueList: list, Value: value, Exists: exists } = condition;
    if (list !== undefined && value !== undefined) {
      invalid(`${PREFIX}Value and AttributeValueList cannot be used together for Attribute: ${attribute}`);
    }
    if (operator !== undefined) {
      if (exists !== undefined) invalid(`${PREFIX}Exists and ComparisonOperator cannot be used together for Attribute: ${attribute}`);
      if (operator !== 'NULL' && operator !== 'NOT_NULL' && list === undefined && value === undefined) {
        invalid(`${PREFIX}Value or AttributeValueList must be used with ComparisonOperator: ${operator} for Attribute: ${attribute}`);
      }
      checkArgumentCount(operator, list ? list.length : value ? 1 : 0);
      if (list?.length) {
        checkSameType(list);
        checkBetweenOrder(operator, list);
      }
    } else if (list !== undefined) {
      invalid(`${PREFIX}AttributeValueList can only be used with a ComparisonOperator for Attribute: ${attribute}`);
    } else {
      const mustExist = exists !== false;
      if (mustExist && value === undefined) {
        invalid(`${PREFIX}Value must be provided when Exists is ${exists === undefined ? 'null' : 'true'} for Attribute: ${attribute}`);
      }
      if (!mustExist && value !== undefined) invalid(`${PREFIX}Value cannot be used when Exists is false for Attribute: ${attribute}`);
      if (value !== undefined) normalizeAttributeValue(value);
    }
  }
}

/** KeyConditions, QueryFilter, ScanFilter: values valid, as many as the operator takes, of types it accepts. */
export function checkConditions(conditions: Record<string, LegacyCondition> | undefined): void {
  for (const condition of Object.values(conditions ?? {})) {
    if (condition == null) continue;
    const operator = condition.ComparisonOperator!;
    const list = condition.AttributeValueList ?? [];
    for (const value of list) normalizeAttributeValue(value);
    checkArgumentCount(operator, list.length);
    if (list.length) checkSameType(list);
    const accepted = ACCEPTED_TYPES[operator];
    const refused = accepted && list.find((value) => !accepted.includes(typeOf(value)));
    if (refused) invalid(`${PREFIX}ComparisonOperator ${operator} is not valid for ${typeOf(refused)} AttributeValue type`);
    if (list.length) checkBetweenOrder(operator, list);
  }
}

const SET_TYPES = ['SS', 'NS', 'BS'];
const ADDABLE_TYPES = ['L', 'SS', 'NS', 'BS', 'N'];

/** AttributeUpdates: values valid, and an action each value's type supports. */
export function checkAttributeUpdates(updates: LegacyCapableRequest['AttributeUpdates']): void {
  for (const update of Object.values(updates ?? {})) {
    if (update == null) continue;
    const { Value: value, Action: action } = update;
    if (value !== undefined) normalizeAttributeValue(value);
    if (value === undefined) {
      if (action !== 'DELETE') invalid(`${PREFIX}Only DELETE action is allowed when no attribute value is specified`);
      continue;
    }
    if (action === 'DELETE' && !SET_TYPES.includes(typeOf(value))) {
      invalid(`${PREFIX}DELETE action with value is not supported for the type ${typeOf(value)}`);
    }
    if (action === 'ADD' && !ADDABLE_TYPES.includes(typeOf(value))) invalid(`${PREFIX}ADD action is not supported for the type ${typeOf(value)}`);
  }
}

/** AttributesToGet names each attribute once. */
export function checkAttributesToGet(names: string[] | undefined): void {
  const seen = new Set<string>();
  for (const name of names ?? []) {
    if (seen.has(name)) invalid(`${PREFIX}Duplicate value in attribute name: ${name}`);
    seen.add(name);
  }
}
