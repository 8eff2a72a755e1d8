import { describe, expect, it } from 'vitest';
import { evaluateCondition, parseExpressions } from '../../src/core/expr/index.js';
import type { AttributeValue, Item } from '../../src/core/types.js';

const item: Item = {
  s: { S: 'hello' }, n: { N: '10' }, b: { B: 'AQID' }, flag: { BOOL: true }, nothing: { NULL: true },
  tags: { SS: ['red', 'blue'] }, bins: { BS: ['gP8=', 'AQ=='] }, nums: { NS: ['1', '2'] }, arr: { L: [{ S: 'x' }, { N: '3' }] },
  doc: { M: { child: { M: { deep: { N: '7' } } }, arr: { L: [{ S: 'first' }] } } },
};

function check(expression: string, values: Record<string, AttributeValue> = {}, names?: Record<string, string>, target: Item | undefined = item): boolean {
  const parsed = parseExpressions({
    ConditionExpression: expression,
    ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
    ...(names ? { ExpressionAttributeNames: names } : {}),
  });
  return evaluateCondition(parsed.condition!, target);
}

function error(input: Parameters<typeof parseExpressions>[0]): string {
  try { parseExpressions(input); } catch (e) { return (e as Error).message; }
  throw new Error('expected an error');
}

describe('condition evaluation', () => {
  it.each([
    ['n = :v', { ':v': { N: '10.0' } }, true],
    ['n <> :v', { ':v': { N: '10' } }, false],
    ['absent <> :v', { ':v': { N: '10' } }, true],
    ['n < :v', { ':v': { N: '9' } }, false],
    ['n >= :v', { ':v': { N: '10' } }, true],
    ['s > :v', { ':v': { S: 'hell' } }, true],
    ['n < :v', { ':v': { S: 'zzz' } }, false],
    ['n BETWEEN :a AND :b', { ':a': { N: '1' }, ':b': { N: '10' } }, true],
    ['n IN (:a, :b)', { ':a': { N: '1' }, ':b': { N: '10' } }, true],
    ['attribute_exists(doc.child.deep)', {}, true],
    ['(doc.child).deep = :v', { ':v': { N: '7' } }, true],
    ['(doc).arr[0] = :v', { ':v': { S: 'first' } }, true],
    ['attribute_not_exists(doc.child.nope)', {}, true],
    ['attribute_type(tags, :t)', { ':t': { S: 'SS' } }, true],
    ['begins_with(s, :p)', { ':p': { S: 'he' } }, true],
    ['begins_with(b, :p)', { ':p': { B: 'AQ==' } }, true],
    ['contains(s, :p)', { ':p': { S: 'ell' } }, true],
    ['contains(tags, :p)', { ':p': { S: 'red' } }, true],
    ['contains(nums, :p)', { ':p': { N: '2.0' } }, true],
    ['contains(arr, :p)', { ':p': { N: '3' } }, true],
    ['contains(b, :p)', { ':p': { B: 'AgM=' } }, true],
    ['contains(b, :p)', { ':p': { B: 'AQM=' } }, false],
    ['contains(b, :p)', { ':p': { S: 'AgM=' } }, false],
    ['contains(bins, :p)', { ':p': { B: 'gP8=' } }, true],
    ['contains(bins, :p)', { ':p': { B: 'gA==' } }, false],
    ['size(s) = :five', { ':five': { N: '5' } }, true],
    ['size(arr) > :one AND size(tags) = :two', { ':one': { N: '1' }, ':two': { N: '2' } }, true],
    ['arr[1] = :three', { ':three': { N: '3' } }, true],
    ['doc.arr[0] = :f', { ':f': { S: 'first' } }, true],
    ['NOT n = :v OR flag = :t', { ':v': { N: '10' }, ':t': { BOOL: true } }, true],
    ['((n = :v) AND (flag = :t))', { ':v': { N: '10' }, ':t': { BOOL: true } }, true],
    ['NOT (n = :v OR flag = :t)', { ':v': { N: '10' }, ':t': { BOOL: true } }, false],
    ['n = :v AND (s = :x OR flag = :t)', { ':v': { N: '10' }, ':x': { S: 'no' }, ':t': { BOOL: true } }, true],
    ['a = :v OR b = :w AND c = :x', { ':v': { N: '1' }, ':w': { N: '1' }, ':x': { N: '1' } }, false],
  ])('%s', (expression, values, expected) => {
    expect(check(expression, values as Record<string, AttributeValue>)).toBe(expected);
  });

  it('resolves name placeholders, including reserved words', () => {
    expect(check('#n.#d.deep = :v', { ':v': { N: '7' } }, { '#n': 'doc', '#d': 'child' })).toBe(true);
    expect(check('#size = :v', { ':v': { S: 'hello' } }, { '#size': 's' })).toBe(true);
    expect(check('#m.child.deep = :v', { ':v': { N: '7' } }, { '#m': 'doc' })).toBe(true);
  });

  it('reads a parenthesized operand before a comparator, BETWEEN or IN', () => {
    expect(check('(size(s)) = :five', { ':five': { N: '5' } })).toBe(true);
    expect(check('((size(s)) = :five)', { ':five': { N: '5' } })).toBe(true);
    expect(check('(doc.child.deep) BETWEEN :a AND :b', { ':a': { N: '1' }, ':b': { N: '9' } })).toBe(true);
    expect(check('(n) IN (:a, :b) AND (arr[1]) > (:c)', { ':a': { N: '1' }, ':b': { N: '10' }, ':c': { N: '2' } })).toBe(true);
    expect(check('(size(arr)) < (size(tags)) OR (s) = :x', { ':x': { S: 'x' } })).toBe(false);
  });

  it('takes the size of a constant', () => {
    expect(check('size(:s) = :three AND size(:l) < size(s)', { ':s': { S: 'abc' }, ':three': { N: '3' }, ':l': { L: [{ N: '1' }] } })).toBe(true);
  });

  it('compares lists, maps and sets for equality, and orders only S, N and B constants', () => {
    expect(check('arr = :l AND arr <> :m AND tags = :t', { ':l': { L: [{ S: 'x' }, { N: '3' }] }, ':m': { M: {} }, ':t': { SS: ['blue', 'red'] } })).toBe(true);
    expect(check('s < :b OR arr > :n', { ':b': { B: 'AQ==' }, ':n': { N: '1' } })).toBe(false);
  });

  it('treats a missing item as having no attributes', () => {
    expect(check('attribute_not_exists(pk)', {}, undefined, undefined)).toBe(true);
    expect(check('attribute_exists(pk)', {}, undefined, undefined)).toBe(false);
  });
});

describe('condition errors', () => {
  it.each([
    [{ ConditionExpression: 'a = ' }, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "= "'],
    [{ ConditionExpression: '((a = :v))', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Invalid ConditionExpression: The expression has redundant parentheses;'],
    [{ ConditionExpression: 'a-b' }, 'Invalid ConditionExpression: Syntax error; token: "-", near: "a-b"'],
    [{ ConditionExpression: '' }, 'Invalid ConditionExpression: The expression can not be empty;'],
    [{ ConditionExpression: 'size = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: size'],
    [{ ConditionExpression: 'foo(a)' }, 'Invalid ConditionExpression: Invalid function name; function: foo'],
    [{ ConditionExpression: 'size(a)' }, 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size'],
    [{ ConditionExpression: 'attribute_exists(a) = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_exists'],
    [{ ConditionExpression: 'begins_with(a, :v)', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N'],
    [{ ConditionExpression: 'attribute_exists(:v)', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists'],
    [{ ConditionExpression: 'attribute_type(a, :v)', ExpressionAttributeValues: { ':v': { S: 'XX' } } }, 'Invalid ConditionExpression: Invalid attribute type name found; type: XX, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}'],
    [{ ConditionExpression: 'contains(a)' }, 'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: contains, number of operands: 1'],
    [{ ConditionExpression: 'a = a' }, 'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]'],
    [{ ConditionExpression: 'a BETWEEN :hi AND :lo', ExpressionAttributeValues: { ':hi': { N: '2' }, ':lo': { N: '1' } } }, 'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}'],
    [{ ConditionExpression: 'a BETWEEN :x AND :y', ExpressionAttributeValues: { ':x': { N: '1' }, ':y': { S: 'a' } } }, 'Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}'],
    [{ FilterExpression: 'a=a and a > ((views))' }, 'Invalid FilterExpression: The expression has redundant parentheses;'],
    [{ FilterExpression: 'a > whatever((:things), ((a)))' }, 'Invalid FilterExpression: The expression has redundant parentheses;'],
    [{ FilterExpression: '(a)between(((b.c)).d)and(c)' }, 'Invalid FilterExpression: The expression has redundant parentheses;'],
    [{ FilterExpression: 'begins_with(:hello, #a, #b)' }, 'Invalid FilterExpression: An expression attribute value used in expression is not defined; attribute value: :hello'],
    [{ FilterExpression: 'attribute_exists(#P.R, :a) and a=a' }, 'Invalid FilterExpression: An expression attribute name used in the document path is not defined; attribute name: #P'],
    [{ FilterExpression: 'attribute_type(a, size(a)) and a=a and a=:a', ExpressionAttributeValues: { ':a': { N: '1' } } }, 'Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N'],
    [{ FilterExpression: 'a = a AND #a = b AND :views > a', ExpressionAttributeNames: { '#a': 'a' } }, 'Invalid FilterExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]'],
    [{ FilterExpression: 'attribute_type(ab.bc[1].#a, ab.bc[1].a)', ExpressionAttributeNames: { '#a': 'a' } }, 'Invalid FilterExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: attribute_type, first operand: [ab, bc, [1], a]'],
    [{ FilterExpression: 'size(size(a)) > :a', ExpressionAttributeValues: { ':a': { N: '1' } } }, 'Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N'],
    [{ FilterExpression: 'size(:a) > a', ExpressionAttributeValues: { ':a': { BOOL: true } } }, 'Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: size, operand type: BOOL'],
    [{ FilterExpression: 'attribute_not_exists(size(:a))', ExpressionAttributeValues: { ':a': { S: '1' } } }, 'Invalid FilterExpression: Operator or function requires a document path; operator or function: attribute_not_exists'],
    [{ FilterExpression: 'a > between' }, 'Invalid FilterExpression: Syntax error; token: "between", near: "> between"'],
    [{ ConditionExpression: '(size(#x)) = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x'],
    [{ ConditionExpression: '(size(a))' }, 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size'],
    [{ ConditionExpression: '(a = :v) = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Invalid ConditionExpression: Syntax error; token: "=", near: ") = :v"'],
    [{ ConditionExpression: 'a < :l', ExpressionAttributeValues: { ':l': { L: [] } } }, 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: L'],
    [{ ConditionExpression: ':m >= a', ExpressionAttributeValues: { ':m': { M: {} } } }, 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: >=, operand type: M'],
    [{ FilterExpression: 'a > :s', ExpressionAttributeValues: { ':s': { SS: ['x'] } } }, 'Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: >, operand type: SS'],
    [{ ConditionExpression: 'a <= :t', ExpressionAttributeValues: { ':t': { BOOL: true } } }, 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <=, operand type: BOOL'],
    [{ ConditionExpression: 'a BETWEEN :x AND :y', ExpressionAttributeValues: { ':x': { NS: ['1'] }, ':y': { NS: ['2'] } } }, 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: NS'],
    [{ ConditionExpression: ':x BETWEEN a AND b', ExpressionAttributeValues: { ':x': { BS: ['AQ=='] } } }, 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: BS'],
    [{ ConditionExpression: '#a = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #a'],
    [{ ConditionExpression: 'a = :v' }, 'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v'],
    [{ FilterExpression: 'a = :v', ExpressionAttributeValues: { ':v': { N: '1' }, ':w': { N: '2' } } }, 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}'],
    [{ ConditionExpression: 'a = :v', ExpressionAttributeValues: {} }, 'ExpressionAttributeValues must not be empty'],
    [{ ConditionExpression: 'a = :v', ExpressionAttributeNames: {}, ExpressionAttributeValues: { ':v': { N: '1' } } }, 'ExpressionAttributeNames must not be empty'],
    [{ ConditionExpression: 'a = :v', ExpressionAttributeNames: { bad: 'x' }, ExpressionAttributeValues: { ':v': { N: '1' } } }, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "bad"'],
    [{ ConditionExpression: `a IN (${Array.from({ length: 101 }, () => ':v').join(', ')})`, ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Invalid ConditionExpression: Too many operands for operator or function; operator or function: IN, number of operands: 101'],
  ])('%j', (input, message) => {
    expect(error(input as never)).toBe(message);
  });
});
