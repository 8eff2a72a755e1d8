import { describe, expect, it } from 'vitest';
import { parseExpressions, resolveKeyCondition } from '../../src/core/expr/index.js';
import type { AttributeValue, KeyShape } from '../../src/core/types.js';

const composite: KeyShape = { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'N' } };
const hashOnly: KeyShape = { hash: { name: 'pk', type: 'S' } };
const values: Record<string, AttributeValue> = { ':p': { S: 'p' }, ':a': { N: '1' }, ':b': { N: '2' }, ':s': { S: 'x' } };

function resolve(expression: string, shape: KeyShape = composite) {
  const used = Object.fromEntries(Object.entries(values).filter(([k]) => expression.includes(k)));
  const parsed = parseExpressions({ KeyConditionExpression: expression, ExpressionAttributeValues: used });
  return resolveKeyCondition(parsed.keyCondition!, shape);
}

describe('key conditions', () => {
  it.each([
    ['pk = :p', { hash: { S: 'p' } }],
    ['pk = :p AND sk < :a', { hash: { S: 'p' }, range: { op: '<', values: [{ N: '1' }] } }],
    [':a > sk AND pk = :p', { hash: { S: 'p' }, range: { op: '<', values: [{ N: '1' }] } }],
    ['pk = :p AND sk BETWEEN :a AND :b', { hash: { S: 'p' }, range: { op: 'BETWEEN', values: [{ N: '1' }, { N: '2' }] } }],
  ])('%s', (expression, expected) => {
    expect(resolve(expression)).toEqual(expected);
  });

  it('accepts begins_with on string sort keys', () => {
    const shape: KeyShape = { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'S' } };
    expect(resolve('pk = :p AND begins_with(sk, :s)', shape)).toEqual({ hash: { S: 'p' }, range: { op: 'BEGINS_WITH', values: [{ S: 'x' }] } });
  });

  it.each([
    ['sk = :a', composite, 'Query condition missed key schema element: pk'],
    ['pk = :p AND extra = :a', composite, 'Query condition missed key schema element: sk'],
    ['pk = :p AND sk = :a', hashOnly, 'Query key condition not supported'],
    ['pk < :p', composite, 'Query key condition not supported'],
    ['pk = :p OR sk = :a', composite, 'Invalid operator used in KeyConditionExpression: OR'],
    ['pk = :p AND sk <> :a', composite, 'Invalid operator used in KeyConditionExpression: <>'],
    ['pk = :p AND pk = :p', composite, 'KeyConditionExpressions must only contain one condition per key'],
    ['pk = :a', composite, 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
    ['pk.x = :p', composite, 'KeyConditionExpressions cannot have conditions on nested attributes'],
    ['pk = :p AND attribute_exists(sk)', composite, 'Invalid operator used in KeyConditionExpression: attribute_exists'],
  ])('rejects %s', (expression, shape, message) => {
    expect(() => resolve(expression, shape)).toThrow(message);
  });
});
