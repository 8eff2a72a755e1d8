/** The 32-level limit on attribute values, measured without recursion on requests as sent. */
import { describe, expect, it } from 'vitest';
import { nestedTooDeep, NESTING_LIMIT_MESSAGE } from '../../src/core/nesting.js';
import { ValidationException } from '../../src/dynamo/errors.js';
import { checkNesting } from '../../src/dynamo/validation/nesting.js';
import { attrValue, itemMap, list, map, str, struct, type RequestShape } from '../../src/dynamo/validation/shape.js';

/** `wraps` maps (or lists, alternately) around a string: the string is at level wraps + 1. */
function wrapped(wraps: number, mixed = false): unknown {
  let value: unknown = { S: 'x' };
  for (let i = 0; i < wraps; i += 1) value = mixed && i % 2 ? { L: [value] } : { M: { a: value } };
  return value;
}

describe('nestedTooDeep', () => {
  it('allows 32 levels and refuses 33, through maps and lists', () => {
    expect(nestedTooDeep(wrapped(31))).toBe(false);
    expect(nestedTooDeep(wrapped(32))).toBe(true);
    expect(nestedTooDeep(wrapped(31, true))).toBe(false);
    expect(nestedTooDeep(wrapped(32, true))).toBe(true);
  });

  it('counts only values under M and L, and skips what is not an attribute value', () => {
    expect(nestedTooDeep({ SS: [wrapped(100)] })).toBe(false);
    expect(nestedTooDeep({ M: { a: null, b: 'text', c: [wrapped(100)] } })).toBe(false);
    expect(nestedTooDeep({ L: [1, null, { M: {} }] })).toBe(false);
  });

  it('measures a value a million levels deep without recursion', () => {
    expect(nestedTooDeep(wrapped(1_000_000))).toBe(true);
  });
});

describe('checkNesting', () => {
  const shape: RequestShape = {
    TableName: str(),
    Item: itemMap(),
    Value: attrValue(),
    Batch: map(list(struct('WriteRequest', { PutRequest: struct('PutRequest', { Item: itemMap() }) }))),
    Expected: map({ type: 'Any' }),
  };
  const refused = (body: unknown): string => {
    try { checkNesting(body, shape); } catch (error) {
      expect(error).toBeInstanceOf(ValidationException);
      return (error as Error).message;
    }
    return 'accepted';
  };

  it.each([
    ['an item', (v: unknown) => ({ Item: { a: v } })],
    ['an attribute value', (v: unknown) => ({ Value: v })],
    ['an item inside maps, lists and structures', (v: unknown) => ({ Batch: { t: [{ PutRequest: { Item: { a: v } } }] } })],
    ['a legacy condition\'s Value', (v: unknown) => ({ Expected: { a: { Value: v } } })],
    ['a legacy condition\'s AttributeValueList', (v: unknown) => ({ Expected: { a: { AttributeValueList: [{ S: 'x' }, v] } } })],
  ])('finds values too deep in %s', (_name, place) => {
    expect(refused(place(wrapped(32)))).toBe(NESTING_LIMIT_MESSAGE);
    expect(refused(place(wrapped(31)))).toBe('accepted');
  });

  it('leaves members it does not know, and wrongly typed ones, to the checks that follow', () => {
    expect(refused({ Unknown: wrapped(100), TableName: wrapped(100), Item: [wrapped(100)], Batch: 'x' })).toBe('accepted');
    expect(refused('not an object')).toBe('accepted');
  });
});
