/**
 * Legacy (pre-expression) parameters read straight into the trees one evaluator serves:
 * Expected → condition, AttributeUpdates → update, AttributesToGet → projection, KeyConditions →
 * key condition, QueryFilter/ScanFilter → filter. They are never written out as expression text,
 * so no expression rule (size, operator count, overlapping paths, wording) applies to them:
 * DynamoDB checks legacy parameters by their own rules and words.
 */
import {
  parseExpressions, type ConditionExpr, type ExpressionInput, type Operand, type ParsedExpressions, type ProjectionExpr, type UpdateExpr,
} from '../../core/expr/index.js';
import type { DocumentPath, SetValue, UpdateAction } from '../../core/expr/ast.js';
import { lookupTable } from '../../core/plainData.js';
import type { AttributeValue } from '../../core/types.js';
import { attributeType, checkAttributeName, compareScalars, normalizeAttributeValue } from '../../core/values.js';
import { invalid } from '../errors.js';
import { checkKeyConditionCount } from './legacyKeyConditions.js';

export interface LegacyCondition {
  ComparisonOperator?: string;
  AttributeValueList?: AttributeValue[];
  Value?: AttributeValue;
  Exists?: boolean;
}

export interface LegacyCapableRequest extends ExpressionInput {
  Expected?: Record<string, LegacyCondition>;
  AttributeUpdates?: Record<string, { Action?: string; Value?: AttributeValue }>;
  AttributesToGet?: string[];
  KeyConditions?: Record<string, LegacyCondition>;
  QueryFilter?: Record<string, LegacyCondition>;
  ScanFilter?: Record<string, LegacyCondition>;
  ConditionalOperator?: 'AND' | 'OR';
}

const PREFIX = 'One or more parameter values were invalid: ';
const COMPARATORS = lookupTable({ EQ: '=', NE: '<>', LE: '<=', LT: '<', GE: '>=', GT: '>' } as const);
const SCALARS = ['S', 'N', 'B'];
/** The value types each operator refuses, and how DynamoDB says so. */
const REFUSED_TYPES: Record<string, (type: string) => boolean> = {
  LE: (type) => !SCALARS.includes(type),
  LT: (type) => !SCALARS.includes(type),
  GE: (type) => !SCALARS.includes(type),
  GT: (type) => !SCALARS.includes(type),
  IN: (type) => !SCALARS.includes(type),
  BETWEEN: (type) => !SCALARS.includes(type),
  BEGINS_WITH: (type) => type !== 'S' && type !== 'B',
  CONTAINS: (type) => ['SS', 'NS', 'BS', 'L', 'M'].includes(type),
  NOT_CONTAINS: (type) => ['SS', 'NS', 'BS', 'L', 'M'].includes(type),
};

/** A top-level attribute named by a legacy parameter: one path step, dots and all. */
function attributePath(attribute: string): DocumentPath {
  if (attribute == null) invalid('Empty attribute name');
  checkAttributeName(attribute);
  return [attribute];
}

function normalized(value: AttributeValue): AttributeValue {
  if (value == null) invalid('The supplied Item contains a null AttributeValue');
  return normalizeAttributeValue(value);
}

function argumentCount(operator: string): number | undefined {
  if (operator === 'NULL' || operator === 'NOT_NULL') return 0;
  if (operator === 'BETWEEN') return 2;
  if (operator === 'IN') return undefined;
  return 1;
}

function checkArguments(operator: string, values: AttributeValue[]): void {
  const expected = argumentCount(operator);
  if ((expected !== undefined && values.length !== expected) || (expected === undefined && values.length === 0)) {
    invalid(`${PREFIX}Invalid number of argument(s) for the ${operator} ComparisonOperator`);
  }
  if (!values.length) return;
  const type = attributeType(values[0]);
  if (values.some((value) => attributeType(value) !== type)) invalid(`${PREFIX}AttributeValues inside AttributeValueList must be of same type`);
  if (REFUSED_TYPES[operator]?.(type)) invalid(`${PREFIX}ComparisonOperator ${operator} is not valid for ${type} AttributeValue type`);
  if (operator === 'BETWEEN' && compareScalars(values[0], values[1]) === 1) {
    invalid('The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
  }
}

/** How an Expected entry may combine its members, in DynamoDB's order and words. */
function checkExpectedMembers(attribute: string, spec: LegacyCondition): void {
  const given = (member: keyof LegacyCondition): boolean => spec[member] !== undefined;
  if (given('AttributeValueList') && given('Value')) invalid(`${PREFIX}Value and AttributeValueList cannot be used together for Attribute: ${attribute}`);
  if (given('ComparisonOperator')) {
    if (given('Exists')) invalid(`${PREFIX}Exists and ComparisonOperator cannot be used together for Attribute: ${attribute}`);
    if (spec.ComparisonOperator !== 'NULL' && spec.ComparisonOperator !== 'NOT_NULL' && !given('AttributeValueList') && !given('Value')) {
      invalid(`${PREFIX}Value or AttributeValueList must be used with ComparisonOperator: ${spec.ComparisonOperator} for Attribute: ${attribute}`);
    }
  } else if (given('AttributeValueList')) {
    invalid(`${PREFIX}AttributeValueList can only be used with a ComparisonOperator for Attribute: ${attribute}`);
  }
}

function condition(attribute: string, spec: LegacyCondition, expected = false): ConditionExpr {
  const path: Operand = { kind: 'path', path: attributePath(attribute) };
  if (expected) checkExpectedMembers(attribute, spec);
  if (spec.ComparisonOperator === undefined) {
    if (spec.Exists === false) {
      if (spec.Value) invalid(`${PREFIX}Value cannot be used when Exists is false for Attribute: ${attribute}`);
      return { kind: 'function', name: 'attribute_not_exists', args: [path] };
    }
    if (!spec.Value) invalid(`${PREFIX}Value must be provided when Exists is ${spec.Exists === true ? 'true' : 'null'} for Attribute: ${attribute}`);
    return { kind: 'compare', op: '=', left: path, right: { kind: 'value', value: normalized(spec.Value) } };
  }
  const operator = spec.ComparisonOperator;
  const list = spec.AttributeValueList ?? (spec.Value ? [spec.Value] : []);
  const values = list.map(normalized);
  checkArguments(operator, values);
  const v = values.map((value): Operand => ({ kind: 'value', value }));
  const comparator = COMPARATORS[operator];
  if (comparator) return { kind: 'compare', op: comparator, left: path, right: v[0] };
  switch (operator) {
    case 'NULL': return { kind: 'function', name: 'attribute_not_exists', args: [path] };
    case 'NOT_NULL': return { kind: 'function', name: 'attribute_exists', args: [path] };
    case 'CONTAINS': return { kind: 'function', name: 'contains', args: [path, v[0]] };
    case 'NOT_CONTAINS': return { kind: 'not', operand: { kind: 'function', name: 'contains', args: [path, v[0]] } };
    case 'BEGINS_WITH': return { kind: 'function', name: 'begins_with', args: [path, v[0]] };
    case 'IN': return { kind: 'in', subject: path, options: v };
    case 'BETWEEN': return { kind: 'between', subject: path, low: v[0], high: v[1] };
    default: return invalid(`${PREFIX}Unsupported ComparisonOperator: ${operator}`);
  }
}

/** DynamoDB's words for a null entry of each legacy map. */
const NULL_ENTRY = {
  expected: (attribute: string) => `${PREFIX}ExpectedAttributeValue must not be null for Attribute: ${attribute}`,
  filter: (attribute: string) => `The filter condition for an attribute cannot be null: ${attribute}`,
};

function conditions(
  specs: Record<string, LegacyCondition> | undefined, joiner: 'AND' | 'OR', parameter: keyof typeof NULL_ENTRY,
): ConditionExpr | undefined {
  if (!specs) return undefined;
  const parts = Object.entries(specs).map(([attribute, spec]) => {
    if (spec == null) invalid(NULL_ENTRY[parameter](attribute));
    return condition(attribute, spec, parameter === 'expected');
  });
  return parts.length ? joined(parts, joiner === 'OR' ? 'or' : 'and') : undefined;
}

/**
 * Conditions joined as a balanced tree: a legacy map may hold hundreds of thousands of entries,
 * and the evaluator descends the tree, so its depth must grow with the logarithm of their number.
 */
function joined(parts: ConditionExpr[], kind: 'and' | 'or'): ConditionExpr {
  let level = parts;
  while (level.length > 1) {
    const next: ConditionExpr[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? { kind, left: level[i], right: level[i + 1] } : level[i]);
    level = next;
  }
  return level[0];
}

function update(attribute: string, spec: { Action?: string; Value?: AttributeValue }): UpdateAction {
  if (spec == null) invalid(`Supplied AttributeValueUpdate is empty, must contain one of the supported actions: ${attribute} is null`);
  const { Action = 'PUT', Value } = spec;
  const path = attributePath(attribute);
  if (!Value) {
    if (Action !== 'DELETE') invalid(`${PREFIX}Only DELETE action is allowed when no attribute value is specified`);
    return { kind: 'remove', path };
  }
  const value = normalized(Value);
  const type = attributeType(value);
  if (Action === 'DELETE' && !['SS', 'NS', 'BS'].includes(type)) invalid(`${PREFIX}DELETE action with value is not supported for the type ${type}`);
  if (Action === 'ADD' && !['N', 'SS', 'NS', 'BS', 'L'].includes(type)) invalid(`${PREFIX}ADD action is not supported for the type ${type}`);
  if (Action === 'PUT') return { kind: 'set', path, value: { kind: 'value', value } };
  if (Action === 'DELETE') return { kind: 'delete', path, value };
  if (type !== 'L') return { kind: 'add', path, value };
  // ADD of a list appends to it (or starts it).
  const existing: SetValue = { kind: 'if_not_exists', path, fallback: { kind: 'value', value: { L: [] } } };
  return { kind: 'set', path, value: { kind: 'list_append', first: existing, second: { kind: 'value', value } } };
}

function updates(specs: LegacyCapableRequest['AttributeUpdates']): UpdateExpr | undefined {
  if (!specs) return undefined;
  const actions = Object.entries(specs).map(([attribute, spec]) => update(attribute, spec));
  return actions.length ? { actions, legacy: true } : undefined;
}

/** DynamoDB refuses an attribute named twice in AttributesToGet. */
export function checkAttributesToGet(names: string[] | undefined): void {
  const seen = new Set<string>();
  for (const name of names ?? []) {
    if (seen.has(name)) invalid(`${PREFIX}Duplicate value in attribute name: ${name}`);
    seen.add(name);
  }
}

function projection(names: string[] | undefined): ProjectionExpr | undefined {
  if (!names) return undefined;
  checkAttributesToGet(names);
  return { paths: names.map(attributePath) };
}

/** Each condition's values and arguments are checked before how many there are. */
function keyConditions(specs: Record<string, LegacyCondition> | undefined): ConditionExpr | undefined {
  if (!specs) return undefined;
  const tree = conditions(specs, 'AND', 'filter');
  checkKeyConditionCount(specs);
  return tree;
}

/** A QueryFilter or ScanFilter as a tree (unless a FilterExpression is given instead). */
export function legacyFilter(request: LegacyCapableRequest): ConditionExpr | undefined {
  if (request.FilterExpression !== undefined) return undefined;
  return conditions(request.QueryFilter ?? request.ScanFilter, request.ConditionalOperator ?? 'AND', 'filter');
}

/** The trees of the request's legacy parameters; an expression parameter given instead wins. */
export function legacyExpressions(request: LegacyCapableRequest): ParsedExpressions {
  const joiner = request.ConditionalOperator ?? 'AND';
  const found: ParsedExpressions = {
    condition: request.ConditionExpression === undefined ? conditions(request.Expected, joiner, 'expected') : undefined,
    update: request.UpdateExpression === undefined ? updates(request.AttributeUpdates) : undefined,
    projection: request.ProjectionExpression === undefined ? projection(request.AttributesToGet) : undefined,
    keyCondition: request.KeyConditionExpression === undefined ? keyConditions(request.KeyConditions) : undefined,
    filter: legacyFilter(request),
  };
  return Object.fromEntries(Object.entries(found).filter(([, tree]) => tree !== undefined));
}

/** The legacy trees completed with the request's expressions, parsed. */
export function withExpressions(legacy: ParsedExpressions, request: LegacyCapableRequest): ParsedExpressions {
  return { ...legacy, ...parseExpressions(request) };
}

/** Every expression of a request, legacy parameters read first (their problems are reported first). */
export function requestExpressions(request: LegacyCapableRequest): ParsedExpressions {
  return withExpressions(legacyExpressions(request), request);
}
