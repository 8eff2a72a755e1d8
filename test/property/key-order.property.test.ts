import fc from 'fast-check';
import { describe, it } from 'vitest';
import { compareBytes, sortKeyBytes } from '../../src/core/keys.js';
import { encodeBase64 } from '../../src/core/base64.js';
import { addNumbers, normalizeNumber, subtractNumbers } from '../../src/core/decimal.js';
import { propertyParameters } from '../helpers/seed.js';

/** Reference oracle: a decimal as a BigInt scaled by 10^200, exact for DynamoDB's whole range. */
function scaled(text: string): bigint {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text)!;
  const digits = (match[2] || '') + (match[3] || '');
  const exponent = Number(match[4] ?? 0) - (match[3]?.length ?? 0) + 200;
  const magnitude = BigInt(digits || '0') * 10n ** BigInt(exponent);
  return match[1] ? -magnitude : magnitude;
}

const decimal = fc.tuple(
  fc.boolean(),
  fc.bigInt({ min: 0n, max: 10n ** 38n - 1n }),
  fc.integer({ min: -120, max: 80 }),
).map(([negative, coefficient, exponent]) => `${negative && coefficient !== 0n ? '-' : ''}${coefficient}e${exponent}`);

const utf8 = new TextEncoder();

describe('sortable key encoding (property)', () => {
  it('orders numbers as the decimal oracle does', () => {
    fc.assert(fc.property(decimal, decimal, (a, b) => {
      const expected = Math.sign(Number(scaled(a) - scaled(b) > 0n ? 1 : scaled(a) === scaled(b) ? 0 : -1));
      const actual = compareBytes(sortKeyBytes('N', { N: normalizeNumber(a) }), sortKeyBytes('N', { N: normalizeNumber(b) }));
      return actual === expected;
    }), propertyParameters('number order', 500));
  });

  it('orders strings by UTF-8 bytes, astral characters included', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
      const expected = compareBytes(utf8.encode(a), utf8.encode(b));
      return compareBytes(sortKeyBytes('S', { S: a }), sortKeyBytes('S', { S: b })) === expected;
    }), propertyParameters('string order', 500));
  });

  it('orders binary by bytes', () => {
    fc.assert(fc.property(fc.uint8Array(), fc.uint8Array(), (a, b) =>
      compareBytes(sortKeyBytes('B', { B: encodeBase64(a) }), sortKeyBytes('B', { B: encodeBase64(b) })) === compareBytes(a, b)),
    propertyParameters('binary order', 300));
  });

  it('normalizes idempotently and adds exactly', () => {
    const small = fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: -20, max: 20 }))
      .map(([negative, coefficient, exponent]) => `${negative ? '-' : ''}${coefficient}e${exponent}`);
    fc.assert(fc.property(small, small, (a, b) => {
      const [x, y] = [normalizeNumber(a), normalizeNumber(b)];
      if (normalizeNumber(x) !== x) return false;
      let sum: string;
      try { sum = addNumbers(x, y); } catch { return true; } // over 38 digits: refused, as DynamoDB does
      return scaled(sum) === scaled(a) + scaled(b) && scaled(subtractNumbers(sum, y)) === scaled(a);
    }), propertyParameters('decimal arithmetic', 500));
  });
});
