/** Request bodies read as DynamoDB reads them: UTF-8 only, JSON only, no lone surrogates, bounded depth. */
import { describe, expect, it } from 'vitest';
import { NESTING_LIMIT_MESSAGE } from '../../src/core/nesting.js';
import { SerializationException, ValidationException } from '../../src/dynamo/errors.js';
import { parseRequestBody } from '../../src/dynamo/validation/body.js';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));

function refusal(body: Uint8Array): unknown {
  try { parseRequestBody(body); } catch (error) { return error; }
  throw new Error('expected the body to be refused');
}

describe('parseRequestBody', () => {
  it('reads JSON, and an empty body as an empty request', () => {
    expect(parseRequestBody(bytes('{"S":"é😀"}'))).toEqual({ S: 'é😀' });
    expect(parseRequestBody(bytes(''))).toEqual({});
  });

  it.each([
    ['invalid UTF-8', bytes('{"S":"a', [0xff], '"}')],
    ['a truncated sequence', bytes('{"S":"a', [0xe2, 0x82], '"}')],
    ['an overlong encoding', bytes('{"S":"', [0xc0, 0xaf], '"}')],
    ['a surrogate encoded in UTF-8', bytes('{"S":"', [0xed, 0xa0, 0x80], '"}')],
    ['text that is not JSON', bytes('{"S":')],
    ['a lone high surrogate escape', bytes('{"S":"a\\ud800"}')],
    ['a lone low surrogate escape', bytes('{"S":"\\udc00"}')],
    ['a reversed pair', bytes('{"S":"\\ude00\\ud83d"}')],
    ['a lone surrogate in a name', bytes('{"M":{"\\uD800":{"S":"x"}}}')],
    ['a lone surrogate deep in a list', bytes('{"L":[[["ok","\\udbff"]]]}')],
  ])('refuses %s with a SerializationException without a message', (_name, body) => {
    const error = refusal(body);
    expect(error).toBeInstanceOf(SerializationException);
    expect((error as SerializationException).toBody()).toEqual({ __type: 'com.amazon.coral.service#SerializationException' });
  });

  it('keeps surrogate pairs and escaped backslashes', () => {
    expect(parseRequestBody(bytes('{"S":"\\ud83d\\ude00"}'))).toEqual({ S: '😀' });
    expect(parseRequestBody(bytes('{"S":"\\\\ud800"}'))).toEqual({ S: '\\ud800' });
  });

  it('refuses JSON nested deeper than any valid request before parsing it', () => {
    const nested = (depth: number): Uint8Array => bytes(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    expect(parseRequestBody(nested(100))).toBeDefined();
    const error = refusal(nested(101));
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as Error).message).toBe(NESTING_LIMIT_MESSAGE);
    // Brackets inside strings are not nesting.
    expect(parseRequestBody(bytes(`{"S":"${'['.repeat(500)}\\""}`))).toEqual({ S: `${'['.repeat(500)}"` });
    expect(refusal(bytes('['.repeat(16 * 1024 * 1024)))).toBeInstanceOf(ValidationException);
  });
});
