/**
 * DynamoDB numbers: exact decimals of up to 38 significant digits, magnitude 1E-130 to
 * 9.99…E+125. Kept as strings on the wire; arithmetic goes through a BigInt coefficient and a
 * power-of-ten exponent, so 0.1 + 0.2 is exactly 0.3 and nothing ever becomes a float.
 */
import { CoreValidationError } from './errors.js';

export type NumberErrorKind = 'invalid' | 'overflow' | 'underflow' | 'precision';

export class NumberFormatError extends CoreValidationError {
  constructor(readonly kind: NumberErrorKind, message: string) {
    super(message);
  }
}

const MAX_DIGITS = 38;
const MAX_EXPONENT = 125;
const MIN_EXPONENT = -130;

/** value = sign × digits × 10^exponent, digits without leading or trailing zeros ('' for zero). */
export interface Decimal {
  negative: boolean;
  digits: string;
  exponent: number;
}

/** A leading + is accepted and dropped, as DynamoDB does ("+5" is stored as 5). */
const NUMBER_PATTERN = /^(?:(-)|\+)?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;

function trimmed(negative: boolean, raw: string, exponent: number): Decimal {
  const leading = raw.replace(/^0+/, '');
  if (!leading) return { negative: false, digits: '', exponent: 0 };
  const digits = leading.replace(/0+$/, '');
  return { negative, digits, exponent: exponent + (leading.length - digits.length) };
}

export function parseDecimal(text: string): Decimal {
  if (!text) throw new NumberFormatError('invalid', 'The parameter cannot be converted to a numeric value');
  const match = NUMBER_PATTERN.exec(text);
  if (!match) throw new NumberFormatError('invalid', `The parameter cannot be converted to a numeric value: ${text}`);
  const [, minus, whole = '', fraction = '', onlyFraction, exp = '0'] = match;
  const fractionDigits = onlyFraction ?? fraction;
  return trimmed(Boolean(minus), whole + fractionDigits, Number(exp) - fractionDigits.length);
}

/** Exponent of the most significant digit (1 for 12.3, -2 for 0.012). */
export function magnitude(value: Decimal): number {
  return value.exponent + value.digits.length - 1;
}

function checkRange(value: Decimal): Decimal {
  if (!value.digits) return value;
  if (magnitude(value) > MAX_EXPONENT) {
    throw new NumberFormatError('overflow', 'Number overflow. Attempting to store a number with magnitude larger than supported range');
  }
  if (magnitude(value) < MIN_EXPONENT) {
    throw new NumberFormatError('underflow', 'Number underflow. Attempting to store a number with magnitude smaller than supported range');
  }
  if (value.digits.length > MAX_DIGITS) {
    throw new NumberFormatError('precision', 'Attempting to store more than 38 significant digits in a Number');
  }
  return value;
}

/** Plain positional notation, as DynamoDB returns numbers. */
export function formatDecimal(value: Decimal): string {
  if (!value.digits) return '0';
  const sign = value.negative ? '-' : '';
  if (value.exponent >= 0) return sign + value.digits + '0'.repeat(value.exponent);
  const point = value.digits.length + value.exponent;
  if (point > 0) return `${sign}${value.digits.slice(0, point)}.${value.digits.slice(point)}`;
  return `${sign}0.${'0'.repeat(-point)}${value.digits}`;
}

/** Validates a wire number and returns DynamoDB's canonical form of it. */
export function normalizeNumber(text: string): string {
  return formatDecimal(checkRange(parseDecimal(text)));
}

function toScaled(value: Decimal, exponent: number): bigint {
  if (!value.digits) return 0n;
  const coefficient = BigInt(value.digits) * 10n ** BigInt(value.exponent - exponent);
  return value.negative ? -coefficient : coefficient;
}

function fromScaled(coefficient: bigint, exponent: number): Decimal {
  const negative = coefficient < 0n;
  return trimmed(negative, (negative ? -coefficient : coefficient).toString(), exponent);
}

export function compareDecimals(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const exponent = Math.min(a.exponent, b.exponent);
  const x = toScaled(a, exponent);
  const y = toScaled(b, exponent);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function compareNumbers(a: string, b: string): -1 | 0 | 1 {
  return compareDecimals(parseDecimal(a), parseDecimal(b));
}

function combine(a: string, b: string, sign: 1n | -1n): string {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const exponent = Math.min(x.exponent, y.exponent);
  return formatDecimal(checkRange(fromScaled(toScaled(x, exponent) + sign * toScaled(y, exponent), exponent)));
}

export function addNumbers(a: string, b: string): string {
  return combine(a, b, 1n);
}

export function subtractNumbers(a: string, b: string): string {
  return combine(a, b, -1n);
}
