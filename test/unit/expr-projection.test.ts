import { describe, expect, it } from 'vitest';
import { parseExpressions, project } from '../../src/core/expr/index.js';
import type { Item } from '../../src/core/types.js';

const item: Item = {
  a: { S: 'x' }, b: { N: '1' },
  m: { M: { x: { N: '1' }, y: { N: '2' }, l: { L: [{ S: 'p' }, { M: { q: { S: 'r' }, s: { S: 't' } } }, { S: 'u' }] } } },
};

const projected = (expression: string, names?: Record<string, string>) =>
  project(item, parseExpressions({ ProjectionExpression: expression, ...(names ? { ExpressionAttributeNames: names } : {}) }).projection!);

describe('projection expressions', () => {
  it('keeps top-level and nested paths with their structure', () => {
    expect(projected('a, m.y')).toEqual({ a: { S: 'x' }, m: { M: { y: { N: '2' } } } });
  });

  it('compacts selected list elements in list order', () => {
    expect(projected('m.l[2], m.l[1].q')).toEqual({ m: { M: { l: { L: [{ M: { q: { S: 'r' } } }, { S: 'u' }] } } } });
  });

  it('skips paths that do not exist', () => {
    expect(projected('nope, m.nope, m.l[9]')).toEqual({});
  });

  it('resolves name placeholders', () => {
    expect(projected('#b', { '#b': 'b' })).toEqual({ b: { N: '1' } });
  });

  it.each([
    ['a, a.b', 'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]'],
    ['m[0], m.x', 'Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [m, [0]], path two: [m, x]'],
    ['!!', 'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"'],
    ['data-id', 'Invalid ProjectionExpression: Syntax error; token: "-", near: "data-id"'],
    ['a,', 'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","'],
  ])('rejects %s', (expression, message) => {
    expect(() => parseExpressions({ ProjectionExpression: expression })).toThrow(message);
  });
});
