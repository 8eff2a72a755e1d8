/** Matches a key condition to a table's key schema: one equality on the hash key, one range condition at most. */
import type { AttributeValue, KeyShape } from '../types.js';
import { attributeType } from '../values.js';
import type { ConditionExpr, Operand } from './ast.js';
import { ExpressionError } from './errors.js';

export interface KeyCondition {
  hash: AttributeValue;
  range?: { op: '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'BEGINS_WITH'; values: AttributeValue[] };
}

/** One comparison of a key condition: an attribute, an operator and the values it compares with. */
export interface KeyConditionPart {
  attribute: string;
  op: NonNullable<KeyCondition['range']>['op'];
  values: AttributeValue[];
}

const FLIPPED = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;

function fail(message: string): never {
  throw new ExpressionError(message);
}

function attributeOf(operands: Operand[]): { attribute: string; index: number } {
  let found: { attribute: string; index: number } | undefined;
  operands.forEach((operand, index) => {
    if (operand.kind === 'size') fail('KeyConditionExpressions cannot contain nested operations');
    if (operand.kind !== 'path') return;
    if (found) fail('Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition');
    if (operand.path.length > 1) fail('KeyConditionExpressions cannot have conditions on nested attributes');
    found = { attribute: operand.path[0] as string, index };
  });
  return found ?? fail('Invalid condition in KeyConditionExpression: No key attribute specified');
}

const valuesOf = (operands: Operand[]): AttributeValue[] =>
  operands.flatMap((operand) => (operand.kind === 'value' ? [operand.value] : []));

function collect(expr: ConditionExpr, out: KeyConditionPart[]): void {
  switch (expr.kind) {
    case 'and':
      collect(expr.left, out);
      collect(expr.right, out);
      return;
    case 'or': case 'not':
      return fail(`Invalid operator used in KeyConditionExpression: ${expr.kind.toUpperCase()}`);
    case 'in':
      return fail('Invalid operator used in KeyConditionExpression: IN');
    case 'compare': {
      if (expr.op === '<>') fail('Invalid operator used in KeyConditionExpression: <>');
      const { attribute, index } = attributeOf([expr.left, expr.right]);
      out.push({ attribute, op: index === 0 ? expr.op : FLIPPED[expr.op], values: valuesOf([expr.left, expr.right]) });
      return;
    }
    case 'between':
      if (expr.subject.kind !== 'path') fail('Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand');
      out.push({ attribute: attributeOf([expr.subject, expr.low, expr.high]).attribute, op: 'BETWEEN', values: valuesOf([expr.low, expr.high]) });
      return;
    case 'function':
      if (expr.name !== 'begins_with') fail(`Invalid operator used in KeyConditionExpression: ${expr.name}`);
      if (expr.args[0].kind !== 'path') fail('Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand');
      out.push({ attribute: attributeOf(expr.args).attribute, op: 'BEGINS_WITH', values: valuesOf(expr.args) });
  }
}

/** A key condition's comparisons, checked for what needs no table: one per attribute, two at most. */
export function keyConditionParts(expr: ConditionExpr): KeyConditionPart[] {
  const conditions: KeyConditionPart[] = [];
  collect(expr, conditions);
  const seen = new Set<string>();
  for (const condition of conditions) {
    if (seen.has(condition.attribute)) fail('KeyConditionExpressions must only contain one condition per key');
    seen.add(condition.attribute);
  }
  if (conditions.length > 2) fail('Conditions can be of length 1 or 2 only');
  return conditions;
}

/** The comparisons matched to the table's key schema. */
export function matchKeySchema(
  conditions: KeyConditionPart[], shape: KeyShape, beforeKey: (key: KeyShape['hash']) => void = () => {},
): KeyCondition {
  beforeKey(shape.hash);
  if (!shape.range && conditions.length > 1) fail('Query key condition not supported');
  const hash = conditions.find((c) => c.attribute === shape.hash.name);
  if (!hash) fail(`Query condition missed key schema element: ${shape.hash.name}`);
  if (shape.range) beforeKey(shape.range);
  const range = conditions.find((c) => c.attribute !== shape.hash.name);
  if (range && range.attribute !== shape.range?.name) fail(`Query condition missed key schema element: ${shape.range?.name ?? range.attribute}`);
  const typeMismatch = (condition: KeyConditionPart, type: string): boolean => condition.values.some((v) => attributeType(v) !== type);
  if (typeMismatch(hash, shape.hash.type) || (range && typeMismatch(range, shape.range!.type))) {
    fail('One or more parameter values were invalid: Condition parameter type does not match schema type');
  }
  if (hash.op !== '=') fail('Query key condition not supported');
  return { hash: hash.values[0], ...(range ? { range: { op: range.op, values: range.values } } : {}) };
}

export function resolveKeyCondition(expr: ConditionExpr, shape: KeyShape): KeyCondition {
  return matchKeySchema(keyConditionParts(expr), shape);
}
