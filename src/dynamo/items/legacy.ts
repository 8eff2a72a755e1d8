/**
 * Legacy (pre-expression) parameters rewritten as expressions, so one evaluator serves both:
 * Expected → ConditionExpression, AttributeUpdates → UpdateExpression, AttributesToGet →
 * ProjectionExpression, KeyConditions → KeyConditionExpression, Query/ScanFilter → FilterExpression.
 */
import type { ExpressionInput } from '../../core/expr/index.js';
import { lookupTable } from '../../core/plainData.js';
import type { AttributeValue } from '../../core/types.js';
import { checkAttributeName } from '../../core/values.js';
import { invalid } from '../errors.js';
import { normalizeValues } from './request.js';

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

/** Collects generated placeholders; their prefix cannot collide with a client's own names. */
class Placeholders {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  private count = 0;

  name(attribute: string): string {
    if (attribute == null) invalid('Empty attribute name');
    checkAttributeName(attribute);
    const placeholder = `#legacy${this.count++}`;
    this.names[placeholder] = attribute;
    return placeholder;
  }

  value(value: AttributeValue): string {
    if (value == null) invalid('The supplied Item contains a null AttributeValue');
    const placeholder = `:legacy${this.count++}`;
    this.values[placeholder] = value;
    return placeholder;
  }
}

const PREFIX = 'One or more parameter values were invalid: ';
const COMPARATORS = lookupTable({ EQ: '=', NE: '<>', LE: '<=', LT: '<', GE: '>=', GT: '>' });

function argumentCount(operator: string): number | undefined {
  if (operator === 'NULL' || operator === 'NOT_NULL') return 0;
  if (operator === 'BETWEEN') return 2;
  if (operator === 'IN') return undefined;
  return 1;
}

function condition(attribute: string, spec: LegacyCondition, p: Placeholders): string {
  const name = p.name(attribute);
  if (spec.ComparisonOperator === undefined) {
    if (spec.Exists === false) {
      if (spec.Value) invalid(`${PREFIX}Value cannot be used when Exists is false for Attribute: ${attribute}`);
      return `attribute_not_exists(${name})`;
    }
    if (!spec.Value) invalid(`${PREFIX}Value must be provided when Exists is ${spec.Exists === true ? 'true' : 'null'} for Attribute: ${attribute}`);
    return `${name} = ${p.value(spec.Value)}`;
  }
  const operator = spec.ComparisonOperator;
  const values = spec.AttributeValueList ?? (spec.Value ? [spec.Value] : []);
  const expected = argumentCount(operator);
  if ((expected !== undefined && values.length !== expected) || (expected === undefined && values.length === 0)) {
    invalid(`${PREFIX}Invalid number of argument(s) for the ${operator} ComparisonOperator`);
  }
  const v = values.map((value) => p.value(value));
  if (COMPARATORS[operator]) return `${name} ${COMPARATORS[operator]} ${v[0]}`;
  switch (operator) {
    case 'NULL': return `attribute_not_exists(${name})`;
    case 'NOT_NULL': return `attribute_exists(${name})`;
    case 'CONTAINS': return `contains(${name}, ${v[0]})`;
    case 'NOT_CONTAINS': return `NOT contains(${name}, ${v[0]})`;
    case 'BEGINS_WITH': return `begins_with(${name}, ${v[0]})`;
    case 'IN': return `${name} IN (${v.join(', ')})`;
    case 'BETWEEN': return `${name} BETWEEN ${v[0]} AND ${v[1]}`;
    default: return invalid(`${PREFIX}Unsupported ComparisonOperator: ${operator}`);
  }
}

/** DynamoDB's words for a null entry of each legacy map. */
const NULL_ENTRY = {
  expected: (attribute: string) => `${PREFIX}ExpectedAttributeValue must not be null for Attribute: ${attribute}`,
  filter: (attribute: string) => `The filter condition for an attribute cannot be null: ${attribute}`,
};

function conditions(
  specs: Record<string, LegacyCondition> | undefined, joiner: string, p: Placeholders, nullEntry: (attribute: string) => string,
): string | undefined {
  if (!specs) return undefined;
  const parts = Object.entries(specs).map(([attribute, spec]) => {
    if (spec == null) invalid(nullEntry(attribute));
    return condition(attribute, spec, p);
  });
  return parts.length ? parts.join(` ${joiner} `) : undefined;
}

function updates(specs: LegacyCapableRequest['AttributeUpdates'], p: Placeholders): string | undefined {
  if (!specs) return undefined;
  const set: string[] = [];
  const remove: string[] = [];
  const add: string[] = [];
  const del: string[] = [];
  for (const [attribute, spec] of Object.entries(specs)) {
    if (spec == null) invalid(`Supplied AttributeValueUpdate is empty, must contain one of the supported actions: ${attribute} is null`);
    const { Action = 'PUT', Value } = spec;
    const name = p.name(attribute);
    if (!Value) {
      if (Action !== 'DELETE') invalid(`${PREFIX}Only DELETE action is allowed when no attribute value is specified`);
      remove.push(name);
    } else if (Action === 'PUT') set.push(`${name} = ${p.value(Value)}`);
    else if (Action === 'DELETE') del.push(`${name} ${p.value(Value)}`);
    else if ('L' in Value) set.push(`${name} = list_append(if_not_exists(${name}, ${p.value({ L: [] })}), ${p.value(Value)})`);
    else add.push(`${name} ${p.value(Value)}`);
  }
  const clauses = [['SET', set], ['REMOVE', remove], ['ADD', add], ['DELETE', del]] as const;
  const text = clauses.filter(([, parts]) => parts.length).map(([verb, parts]) => `${verb} ${parts.join(', ')}`).join(' ');
  return text || undefined;
}

/** The request's expressions (legacy parameters rewritten), values normalized, ready for parseExpressions. */
export function expressionInput(request: LegacyCapableRequest): ExpressionInput {
  if (!request.Expected && !request.AttributeUpdates && !request.AttributesToGet && !request.KeyConditions
    && !request.QueryFilter && !request.ScanFilter) {
    return request;
  }
  const p = new Placeholders();
  const joiner = request.ConditionalOperator ?? 'AND';
  const input: ExpressionInput = {
    ConditionExpression: request.ConditionExpression ?? conditions(request.Expected, joiner, p, NULL_ENTRY.expected),
    UpdateExpression: request.UpdateExpression ?? updates(request.AttributeUpdates, p),
    ProjectionExpression: request.ProjectionExpression ?? request.AttributesToGet?.map((name) => p.name(name)).join(', '),
    KeyConditionExpression: request.KeyConditionExpression ?? conditions(request.KeyConditions, 'AND', p, NULL_ENTRY.filter),
    FilterExpression: request.FilterExpression ?? conditions(request.QueryFilter ?? request.ScanFilter, joiner, p, NULL_ENTRY.filter),
  };
  const names = { ...request.ExpressionAttributeNames, ...p.names };
  const values = { ...request.ExpressionAttributeValues, ...p.values };
  if (Object.keys(names).length || request.ExpressionAttributeNames) input.ExpressionAttributeNames = request.ExpressionAttributeNames ? names : p.names;
  // Generated values are checked here, so their problems are not reported as a client placeholder's.
  normalizeValues(p.values);
  if (Object.keys(values).length || request.ExpressionAttributeValues) {
    input.ExpressionAttributeValues = request.ExpressionAttributeValues ? values : p.values;
  }
  return input;
}
