import { describe, expect, it } from 'vitest';
import { applyUpdate, parseExpressions, projectPaths } from '../../src/core/expr/index.js';
import type { AttributeValue, Item } from '../../src/core/types.js';

function update(expression: string, item: Item | undefined, values: Record<string, AttributeValue> = {}, names?: Record<string, string>) {
  const parsed = parseExpressions({
    UpdateExpression: expression,
    ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
    ...(names ? { ExpressionAttributeNames: names } : {}),
  });
  return applyUpdate(parsed.update!, item);
}

function error(run: () => unknown): string {
  try { run(); } catch (e) { return (e as Error).message; }
  throw new Error('expected an error');
}

describe('update expressions', () => {
  it('SET with arithmetic, if_not_exists and list_append, reading the item as it was', () => {
    const { item, updatedPaths } = update('SET a = a + :one, b = if_not_exists(b, :zero), c = list_append(:front, c), d = a', { a: { N: '1' }, c: { L: [{ S: 'z' }] } },
      { ':one': { N: '1' }, ':zero': { N: '0' }, ':front': { L: [{ S: 'y' }] } });
    expect(item).toEqual({ a: { N: '2' }, b: { N: '0' }, c: { L: [{ S: 'y' }, { S: 'z' }] }, d: { N: '1' } });
    expect(updatedPaths).toEqual([['a'], ['b'], ['c'], ['d']]);
  });

  it('SET nested map entries and list elements; an index past the end appends', () => {
    const { item } = update('SET m.k = :v, l[1] = :v, l[9] = :w', { m: { M: {} }, l: { L: [{ N: '0' }, { N: '1' }] } }, { ':v': { S: 'v' }, ':w': { S: 'w' } });
    expect(item).toEqual({ m: { M: { k: { S: 'v' } } }, l: { L: [{ N: '0' }, { S: 'v' }, { S: 'w' }] } });
  });

  it('SET past the end of a list appends in index order, not in the order written', () => {
    const { item } = update('SET l[84] = :x, l[37] = :y, l[0] = :z, m = :z', { l: { L: [{ N: '0' }] } }, { ':x': { S: 'x' }, ':y': { S: 'y' }, ':z': { S: 'z' } });
    expect(item).toEqual({ l: { L: [{ S: 'z' }, { S: 'y' }, { S: 'x' }] }, m: { S: 'z' } });
  });

  it('SET and ADD past the end of a list, values read from the item as it was', () => {
    const key = { S: 'k' };
    const start = { a: key, b: { M: { a: { N: '1' }, b: { N: '2' }, c: { N: '3' } } }, c: { L: [{ N: '1' }, { N: '3' }] } };
    const { item, updatedPaths } = update('set b.c=((c[1])+(b.a)),b.a = a,c[1] = a, c[4] = b.a - b.b, c[2] = b.c add c[8] :b, c[6] :a', start,
      { ':a': { N: '2' }, ':b': { SS: ['a'] } });
    expect(item).toEqual({
      a: key, b: { M: { a: key, b: { N: '2' }, c: { N: '4' } } },
      c: { L: [{ N: '1' }, key, { N: '3' }, { N: '-1' }, { N: '2' }, { SS: ['a'] }] },
    });
    expect(projectPaths(item, updatedPaths)).toEqual({ b: { M: { a: key, c: { N: '4' } } }, c: { L: [key, { N: '3' }, { N: '2' }] } });
  });

  it('REMOVE attributes and list elements by their original positions', () => {
    const { item } = update('REMOVE a, l[0], l[2]', { a: { S: 'x' }, l: { L: [{ N: '0' }, { N: '1' }, { N: '2' }, { N: '3' }] } });
    expect(item).toEqual({ l: { L: [{ N: '1' }, { N: '3' }] } });
  });

  it('ADD numbers and set members; DELETE set members, dropping empty sets', () => {
    const { item } = update('ADD n :five, s :more, fresh :one DELETE gone :all', { n: { N: '1.5' }, s: { SS: ['a'] }, gone: { NS: ['1', '2'] } },
      { ':five': { N: '5' }, ':more': { SS: ['a', 'b'] }, ':one': { N: '1' }, ':all': { NS: ['2', '1.0'] } });
    expect(item).toEqual({ n: { N: '6.5' }, s: { SS: ['a', 'b'] }, fresh: { N: '1' } });
  });

  it('SET reads parenthesized operands and values', () => {
    const start = { b: { M: { a: { N: '2' } } }, c: { L: [{ N: '0' }, { N: '5' }] } };
    const { item } = update('SET x = ((c[1])+(b.a)), y = (c[0]) - :one, z = (:one), w = list_append((c), (:l))', start, { ':one': { N: '1' }, ':l': { L: [] } });
    expect(item).toEqual({ ...start, x: { N: '7' }, y: { N: '-1' }, z: { N: '1' }, w: start.c });
  });

  it('reports DynamoDB\'s runtime errors', () => {
    expect(error(() => update('SET a = b', {}))).toBe('The provided expression refers to an attribute that does not exist in the item');
    expect(error(() => update('SET a = a + :v', { a: { S: 'x' } }, { ':v': { N: '1' } }))).toBe('An operand in the update expression has an incorrect data type');
    expect(error(() => update('SET m.k = :v', { m: { S: 'not a map' } }, { ':v': { N: '1' } }))).toBe('The document path provided in the update expression is invalid for update');
    expect(error(() => update('ADD s :v', { s: { SS: ['a'] } }, { ':v': { NS: ['1'] } }))).toBe('An operand in the update expression has an incorrect data type');
  });

  it.each([
    ['SET a = :v SET b = :v', 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;'],
    ['SET a = :v, a.b = :v', 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]'],
    ['SET a[0] = :v REMOVE a.b', 'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]'],
    ['ADD a :s', 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING'],
    ['DELETE a :n', 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER'],
    ['SET a = :s + :n', 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S'],
    ['SET a = foo(:n)', 'Invalid UpdateExpression: Invalid function name; function: foo'],
    ['SET a = list_append(:n, :n)', 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: N'],
    ['SET a = if_not_exists(:n, :n)', 'Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists'],
    ['SET #name = :n', 'Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #name'],
    ['SET data = :n', 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: data'],
    ['SET a :n', 'Invalid UpdateExpression: Syntax error; token: ":n", near: "a :n"'],
    ['SET a = (:n + :n) + :n', 'Invalid UpdateExpression: Syntax error; token: "+", near: ") + :n"'],
    ['SET a = :n + (:n - :n)', 'Invalid UpdateExpression: Syntax error; token: "-", near: ":n - :n"'],
    ['SET a = set', 'Invalid UpdateExpression: Syntax error; token: "set", near: "= set"'],
    ['SET a = between', 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: between'],
    ['UPDATE a = :n', 'Invalid UpdateExpression: Syntax error; token: "UPDATE", near: "UPDATE a"'],
  ])('%s', (expression, message) => {
    const values = { ':v': { N: '1' }, ':s': { S: 'x' }, ':n': { N: '1' } };
    const used = Object.fromEntries(Object.entries(values).filter(([k]) => expression.includes(k)));
    expect(error(() => parseExpressions({ UpdateExpression: expression, ...(Object.keys(used).length ? { ExpressionAttributeValues: used } : {}) }))).toBe(message);
  });
});
