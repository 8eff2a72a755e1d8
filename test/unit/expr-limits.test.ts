/**
 * Expressions at DynamoDB's limits: 4 KB, 300 operators, and nesting as deep as 4 KB allows,
 * which the parser must take without overflowing the stack or taking long, whatever the input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CoreValidationError } from '../../src/core/errors.js';
import { parseExpressions, type ExpressionInput } from '../../src/core/expr/index.js';
import { propertyParameters } from '../helpers/seed.js';

const values = { ':v': { N: '1' } };

function error(input: ExpressionInput): string {
  try { parseExpressions(input); } catch (e) { return (e as Error).message; }
  throw new Error('expected an error');
}

describe('operator limit', () => {
  const chain = (count: number): string => Array.from({ length: count }, () => 'a = :v').join(' AND ');

  it('takes 300 operators and refuses the 301st, in any expression', () => {
    expect(() => parseExpressions({ ConditionExpression: chain(150).replace(/ AND a = :v$/, ''), ExpressionAttributeValues: values })).not.toThrow();
    expect(() => parseExpressions({ ConditionExpression: `${chain(150)} AND NOT a = :v`.replace(/ AND NOT a = :v$/, ''), ExpressionAttributeValues: values })).not.toThrow();
    // 151 comparisons and 150 ANDs.
    expect(error({ ConditionExpression: chain(151), ExpressionAttributeValues: values }))
      .toBe('Invalid ConditionExpression: The expression contains too many operators; operator count: 301');
    expect(error({ FilterExpression: `${'NOT '.repeat(300)}a = :v`, ExpressionAttributeValues: values }))
      .toBe('Invalid FilterExpression: The expression contains too many operators; operator count: 301');
    expect(() => parseExpressions({ FilterExpression: `${'NOT '.repeat(299)}a = :v`, ExpressionAttributeValues: values })).not.toThrow();
    expect(error({ KeyConditionExpression: `${chain(150)} AND a BETWEEN :v AND :v`, ExpressionAttributeValues: values }))
      .toBe('Invalid KeyConditionExpression: The expression contains too many operators; operator count: 301');
  });

  it('counts an update\'s + and - and its functions, not its assignments', () => {
    const sums = (count: number): string => Array.from({ length: count }, (_, i) => `a${i}=:v+:v`).join(',');
    expect(() => parseExpressions({ UpdateExpression: `SET ${sums(300)}`, ExpressionAttributeValues: values })).not.toThrow();
    expect(error({ UpdateExpression: `SET ${sums(301)}`, ExpressionAttributeValues: values }))
      .toBe('Invalid UpdateExpression: The expression contains too many operators; operator count: 301');
    const lists = { ...values, ':l': { L: [] } };
    const withFunctions = (count: number): string => `SET ${sums(count)},x=list_append(:l,:l),y=if_not_exists(y,:v)`;
    expect(() => parseExpressions({ UpdateExpression: withFunctions(298), ExpressionAttributeValues: lists })).not.toThrow();
    expect(error({ UpdateExpression: withFunctions(299), ExpressionAttributeValues: lists }))
      .toBe('Invalid UpdateExpression: The expression contains too many operators; operator count: 301');
  });

  it('does not count parentheses', () => {
    const grouped = (count: number): string => `${'('.repeat(count)}a = :v${') AND a = :v'.repeat(count)}`;
    expect(() => parseExpressions({ ConditionExpression: grouped(149), ExpressionAttributeValues: values })).not.toThrow();
    expect(error({ ConditionExpression: grouped(150), ExpressionAttributeValues: values }))
      .toBe('Invalid ConditionExpression: The expression contains too many operators; operator count: 301');
    // A parenthesis is tried as a condition first, then as an operand: nothing is counted twice.
    const operands = `${Array.from({ length: 150 }, () => '(a) = :v').join(' AND ')}`.replace(/ AND \(a\) = :v$/, '');
    expect(() => parseExpressions({ ConditionExpression: operands, ExpressionAttributeValues: values })).not.toThrow();
  });
});

describe('nesting as deep as 4 KB allows', () => {
  it.each<[string, ExpressionInput, string]>([
    ['(((( as a condition', { ConditionExpression: '('.repeat(4096) }, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("'],
    ['(((( as a key condition', { KeyConditionExpression: '('.repeat(4096) }, 'Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "("'],
    ['(((( as an update', { UpdateExpression: '('.repeat(4096) }, 'Invalid UpdateExpression: Syntax error; token: "(", near: "(("'],
    ['(((( as an update value', { UpdateExpression: `SET a = ${'('.repeat(4088)}` }, 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "("'],
    ['(((( as a projection', { ProjectionExpression: '('.repeat(4096) }, 'Invalid ProjectionExpression: Syntax error; token: "(", near: "(("'],
    ['redundant parentheses', { ConditionExpression: `${'('.repeat(2044)}a = :v${')'.repeat(2044)}`, ExpressionAttributeValues: values }, 'Invalid ConditionExpression: The expression has redundant parentheses;'],
    ['unknown functions', { ConditionExpression: `a < ${'f('.repeat(1355)}b${')'.repeat(1355)}` }, 'Invalid ConditionExpression: Invalid function name; function: f'],
    ['nested size()', { ConditionExpression: `a < ${'size('.repeat(680)}b${')'.repeat(680)}` }, 'Invalid ConditionExpression: '],
    ['if_not_exists in update values', { UpdateExpression: `SET a = ${'if_not_exists(a, '.repeat(200)}:v${')'.repeat(200)}`, ExpressionAttributeValues: values }, ''],
  ])('%s', (_name, input, message) => {
    const started = performance.now();
    if (message) expect(error(input)).toContain(message);
    else expect(() => parseExpressions(input)).not.toThrow();
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('reads a parenthesized operand thousands of levels deep', () => {
    // ((a)) is redundant to DynamoDB: the parse reads all the way down before it says so.
    expect(error({ ConditionExpression: `${'('.repeat(2040)}a${')'.repeat(2040)} = :v`, ExpressionAttributeValues: values }))
      .toBe('Invalid ConditionExpression: The expression has redundant parentheses;');
    const parsed = parseExpressions({ ConditionExpression: '(a) = :v', ExpressionAttributeValues: values });
    expect(parsed.condition).toEqual({ kind: 'compare', op: '=', left: { kind: 'path', path: ['a'] }, right: { kind: 'value', value: { N: '1' } } });
  });

  it('does not depend on how much call stack is left', () => {
    // Parsing from deep inside other calls, with little stack to spare.
    const nestedCall = (depth: number): string => (depth === 0 ? error({ ConditionExpression: '('.repeat(4096) }) : nestedCall(depth - 1));
    expect(nestedCall(5_000)).toBe('Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("');
  });
});

describe('fuzzed expressions', () => {
  const KINDS = ['ConditionExpression', 'FilterExpression', 'KeyConditionExpression', 'UpdateExpression', 'ProjectionExpression'] as const;
  const token = fc.constantFrom('(', ')', '((', '))', 'NOT ', ' AND ', ' OR ', ' = ', ' < ', ' BETWEEN ', ' IN ', ',', ' + ', ' - ',
    'a', 'b.c', 'd[0]', '#n', ':v', ':w', 'size(', 'f(', 'contains(', 'attribute_exists(', 'list_append(', 'if_not_exists(',
    'SET ', 'REMOVE ', 'ADD ', 'DELETE ', '[', ']', '.', ' ', '"', '\u00e9', '\ud83d\ude00');
  /** Runs of one token, so that deep nesting comes up often, not only by chance. */
  const piece = fc.oneof(token, fc.tuple(token, fc.integer({ min: 1, max: 2000 })).map(([text, count]) => text.repeat(count)));
  const expression = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join('').slice(0, 4200));

  it('ends every parse in DynamoDB\'s validation error or a result, quickly', () => {
    fc.assert(fc.property(fc.constantFrom(...KINDS), expression, (kind, text) => {
      const input: ExpressionInput = { [kind]: text, ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: { ...values, ':w': { S: 'x' } } };
      const started = performance.now();
      try {
        parseExpressions(input);
      } catch (e) {
        expect(e).toBeInstanceOf(CoreValidationError);
      }
      expect(performance.now() - started).toBeLessThan(2_000);
    }), propertyParameters('expression parser fuzz', 400));
  });
});
