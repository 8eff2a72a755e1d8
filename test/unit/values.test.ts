import { describe, expect, it } from 'vitest';
import { CoreValidationError } from '../../src/core/errors.js';
import { NESTING_LIMIT_MESSAGE } from '../../src/core/nesting.js';
import { attributeValueSize, compareScalars, itemSize, normalizeItem, valuesEqual } from '../../src/core/values.js';
import type { AttributeValue } from '../../src/core/types.js';

const fails = (item: Record<string, unknown>): string => {
  try { normalizeItem(item as never); } catch (error) { expect(error).toBeInstanceOf(CoreValidationError); return (error as Error).message; }
  throw new Error('expected a validation error');
};

describe('values', () => {
  it('compares strings by UTF-8 bytes, numbers numerically, binary by bytes', () => {
    expect(compareScalars({ S: '\uffff' }, { S: '𝄞' })).toBe(-1); // JS order says otherwise
    expect(compareScalars({ N: '9' }, { N: '10' })).toBe(-1);
    expect(compareScalars({ B: 'AAE=' }, { B: '/w==' })).toBe(-1);
    expect(compareScalars({ S: 'a' }, { N: '1' })).toBeUndefined();
  });

  it('treats sets as unordered and numbers by value', () => {
    expect(valuesEqual({ SS: ['a', 'b'] }, { SS: ['b', 'a'] })).toBe(true);
    expect(valuesEqual({ NS: ['1', '2'] }, { NS: ['2.0', '1'] })).toBe(true);
    expect(valuesEqual({ M: { a: { L: [{ N: '1' }] } } }, { M: { a: { L: [{ N: '1.00' }] } } })).toBe(true);
    expect(valuesEqual({ L: [{ S: 'a' }, { S: 'b' }] }, { L: [{ S: 'b' }, { S: 'a' }] })).toBe(false);
  });

  it('sizes items as DynamoDB does', () => {
    expect(itemSize({ pk: { S: 'abc' } })).toBe(5);
    expect(attributeValueSize({ S: 'é' })).toBe(2);
    expect(attributeValueSize({ N: '0' })).toBe(1);
    expect(attributeValueSize({ N: '12345' })).toBe(4);
    expect(attributeValueSize({ BOOL: true })).toBe(1);
    expect(attributeValueSize({ L: [{ S: 'ab' }] })).toBe(6);
    expect(attributeValueSize({ M: { k: { S: 'ab' } } })).toBe(7);
  });

  it('normalizes numbers inside maps, lists and sets', () => {
    expect(normalizeItem({ a: { M: { b: { L: [{ N: '01.10' }] } } }, s: { NS: ['1e1'] } }))
      .toEqual({ a: { M: { b: { L: [{ N: '1.1' }] } } }, s: { NS: ['10'] } });
  });

  it.each([
    [{ a: {} }, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
    [{ a: { S: 'x', N: '1' } }, 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes'],
    // A bad member is found before the members are counted.
    [{ a: { S: 'a', N: '' } }, 'The parameter cannot be converted to a numeric value'],
    [{ a: { S: 'a', N: 'b' } }, 'The parameter cannot be converted to a numeric value: b'],
    [{ a: { S: 'a', SS: [] } }, 'One or more parameter values were invalid: An string set  may not be empty'],
    [{ a: { SS: [] } }, 'One or more parameter values were invalid: An string set  may not be empty'],
    [{ a: { BS: [] } }, 'One or more parameter values were invalid: Binary sets should not be empty'],
    [{ a: { SS: ['x', 'x'] } }, 'One or more parameter values were invalid: Input collection [x, x] contains duplicates.'],
    [{ a: { NS: ['1', '1.0'] } }, 'Input collection contains duplicates'],
    [{ a: { NULL: false } }, 'One or more parameter values were invalid: Null attribute value types must have the value of true'],
  ])('rejects %j', (item, message) => {
    expect(fails(item)).toBe(message);
  });

  it('limits nesting to 32 levels', () => {
    let deep: AttributeValue = { S: 'x' };
    for (let i = 0; i < 32; i += 1) deep = { L: [deep] };
    expect(fails({ a: deep })).toBe(NESTING_LIMIT_MESSAGE);
    let ok: AttributeValue = { S: 'x' };
    for (let i = 0; i < 31; i += 1) ok = { L: [ok] };
    expect(() => normalizeItem({ a: ok })).not.toThrow();
  });
});
