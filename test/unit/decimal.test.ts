import { describe, expect, it } from 'vitest';
import { addNumbers, compareNumbers, NumberFormatError, normalizeNumber, subtractNumbers } from '../../src/core/decimal.js';

describe('normalizeNumber', () => {
  it.each([
    ['1', '1'], ['01', '1'], ['1.50', '1.5'], ['-0', '0'], ['0.000', '0'], ['1E2', '100'], ['1.5e3', '1500'],
    ['1e-2', '0.01'], ['.5', '0.5'], ['5.', '5'], ['-12.3400', '-12.34'], ['+5', '5'], ['+1.5e2', '150'], ['+0', '0'], ['1e+2', '100'], ['123456789012345678901234567890123456.78', '123456789012345678901234567890123456.78'],
  ])('%s → %s', (input, output) => {
    expect(normalizeNumber(input)).toBe(output);
  });

  it('writes extreme magnitudes out in full', () => {
    expect(normalizeNumber('1e125')).toBe(`1${'0'.repeat(125)}`);
    expect(normalizeNumber('1e-130')).toBe(`0.${'0'.repeat(129)}1`);
    expect(normalizeNumber('9.9999999999999999999999999999999999999E+125')).toMatch(/^9{38}0{88}$/);
  });

  it.each([
    ['abc', 'invalid', 'The parameter cannot be converted to a numeric value: abc'],
    ['', 'invalid', 'The parameter cannot be converted to a numeric value'],
    ['1e126', 'overflow', 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    ['1e-131', 'underflow', 'Number underflow. Attempting to store a number with magnitude smaller than supported range'],
    ['1234567890123456789012345678901234567891', 'precision', 'Attempting to store more than 38 significant digits in a Number'],
    ['+-1', 'invalid', 'The parameter cannot be converted to a numeric value: +-1'],
    ['+', 'invalid', 'The parameter cannot be converted to a numeric value: +'],
    ['+e2', 'invalid', 'The parameter cannot be converted to a numeric value: +e2'],
  ])('rejects %j as %s', (input, kind, message) => {
    let error: unknown;
    try { normalizeNumber(input); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(NumberFormatError);
    expect((error as NumberFormatError).kind).toBe(kind);
    expect((error as Error).message).toBe(message);
  });
});

describe('arithmetic and comparison', () => {
  it('adds and subtracts exactly', () => {
    expect(addNumbers('0.1', '0.2')).toBe('0.3');
    expect(subtractNumbers('1', '0.9')).toBe('0.1');
    expect(addNumbers('99999999999999999999999999999999999999', '1')).toBe('100000000000000000000000000000000000000');
    expect(subtractNumbers('-5', '-5')).toBe('0');
    expect(addNumbers('1e125', '-1e125')).toBe('0');
  });

  it('refuses results DynamoDB cannot store', () => {
    expect(() => addNumbers('9.9999999999999999999999999999999999999e125', '1e125')).toThrow(/Number overflow/);
    expect(() => addNumbers('12345678901234567890123456789012345678', '0.1')).toThrow('Attempting to store more than 38 significant digits in a Number');
  });

  it('compares numerically, not as text', () => {
    expect(compareNumbers('10', '9')).toBe(1);
    expect(compareNumbers('-10', '-9')).toBe(-1);
    expect(compareNumbers('1.0', '1')).toBe(0);
    expect(compareNumbers('0.001', '1e-3')).toBe(0);
  });
});
