/** Attribute values: type, equality, DynamoDB ordering and sizes, and validation of client input. */
import { decodeBase64, encodeBase64 } from './base64.js';
import { compareNumbers, formatDecimal, normalizeNumber, parseDecimal } from './decimal.js';
import { CoreValidationError, RequestLimitError, ValueContentError } from './errors.js';
import { MAX_NESTING_LEVELS, NESTING_LIMIT_MESSAGE } from './nesting.js';
import { setOwn } from './plainData.js';
import type { AttributeType, AttributeValue, Item } from './types.js';

const encoder = new TextEncoder();
const PREFIX = 'One or more parameter values were invalid: ';
/** DynamoDB's limit on any attribute name (64 KB less one byte), top level or a map key at any depth. */
export const MAX_ATTRIBUTE_NAME_BYTES = 65535;
/** No name of this many UTF-16 units can exceed the limit: at most 3 UTF-8 bytes each. */
const SURELY_SHORT_NAME = Math.floor(MAX_ATTRIBUTE_NAME_BYTES / 3);

export function attributeType(value: AttributeValue): AttributeType {
  for (const key in value) return key as AttributeType;
  throw new CoreValidationError('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
}

export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) { bytes += 4; i += 1; } else bytes += 3;
  }
  return bytes;
}

function compareBytes(a: Uint8Array, b: Uint8Array): -1 | 0 | 1 {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Strings compare by UTF-8 bytes: code point order, which UTF-16 order is not for astral characters. */
export function compareStrings(a: string, b: string): -1 | 0 | 1 {
  return a === b ? 0 : compareBytes(encoder.encode(a), encoder.encode(b));
}

/** Order of two scalars of the same type (S, N or B); undefined when they are not comparable. */
export function compareScalars(a: AttributeValue, b: AttributeValue): -1 | 0 | 1 | undefined {
  if ('S' in a && 'S' in b) return compareStrings(a.S, b.S);
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N);
  if ('B' in a && 'B' in b) return compareBytes(decodeBase64(a.B), decodeBase64(b.B));
  return undefined;
}

/**
 * Sets are equal when their members' canonical forms are: each member is put in canonical form
 * once. Pairing members off instead took quadratic time, minutes for a set of 400 KB.
 */
function sameSet(a: string[], b: string[], canonical: (member: string) => string): boolean {
  if (a.length !== b.length) return false;
  const inA = new Set(a.map(canonical));
  const inB = new Set(b.map(canonical));
  return inA.size === inB.size && [...inA].every((member) => inB.has(member));
}

const sameString = (member: string): string => member;
const canonicalNumber = (member: string): string => formatDecimal(parseDecimal(member));
const canonicalBytes = (member: string): string => encodeBase64(decodeBase64(member));

export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  if ('S' in a) return 'S' in b && a.S === b.S;
  if ('N' in a) return 'N' in b && compareNumbers(a.N, b.N) === 0;
  if ('B' in a) return 'B' in b && compareBytes(decodeBase64(a.B), decodeBase64(b.B)) === 0;
  if ('BOOL' in a) return 'BOOL' in b && a.BOOL === b.BOOL;
  if ('NULL' in a) return 'NULL' in b;
  if ('SS' in a) return 'SS' in b && sameSet(a.SS, b.SS, sameString);
  if ('NS' in a) return 'NS' in b && sameSet(a.NS, b.NS, canonicalNumber);
  if ('BS' in a) return 'BS' in b && sameSet(a.BS, b.BS, canonicalBytes);
  if ('L' in a) return 'L' in b && a.L.length === b.L.length && a.L.every((x, i) => valuesEqual(x, b.L[i]));
  if ('M' in a) {
    if (!('M' in b)) return false;
    const keys = Object.keys(a.M);
    return keys.length === Object.keys(b.M).length && keys.every((k) => Object.hasOwn(b.M, k) && valuesEqual(a.M[k], b.M[k]));
  }
  return false;
}

function numberSize(text: string): number {
  const value = parseDecimal(text);
  if (!value.digits) return 1;
  const count = value.digits.length;
  const leading = value.exponent + count - 1;
  return 1 + Math.ceil(count / 2) + (count % 2 || leading % 2 ? 0 : 1) + (value.negative ? 1 : 0);
}

/** Bytes a value counts for against the 400 KB item limit, as DynamoDB measures them. */
export function attributeValueSize(value: AttributeValue): number {
  if ('S' in value) return utf8Length(value.S);
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return decodeBase64(value.B).length;
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('SS' in value) return value.SS.reduce((sum, s) => sum + utf8Length(s), 0);
  if ('NS' in value) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if ('BS' in value) return value.BS.reduce((sum, b) => sum + decodeBase64(b).length, 0);
  if ('L' in value) return 3 + value.L.reduce((sum, v) => sum + 1 + attributeValueSize(v), 0);
  return 3 + Object.keys(value.M).length + itemSize(value.M);
}

export function itemSize(item: Item): number {
  let size = 0;
  for (const name in item) size += utf8Length(name) + attributeValueSize(item[name]);
  return size;
}

function duplicateOf(values: string[], key: (v: string) => string = (v) => v): boolean {
  return new Set(values.map(key)).size !== values.length;
}

/** A null where a value belongs: in a map (the name is given), a list or a set. */
function nullValue(name?: string): CoreValidationError {
  return new ValueContentError(`The supplied Item contains a null AttributeValue${name === undefined ? '' : `: ${name} is null`}`);
}

/** Checks one client-supplied value and returns it with numbers in canonical form. */
export function normalizeAttributeValue(value: AttributeValue, depth = 1): AttributeValue {
  if (value == null) throw nullValue();
  const types = Object.keys(value);
  if (!types.length) throw new CoreValidationError('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  if (types.length > 1) {
    // DynamoDB finds a bad member (a number that is not one, an empty set) before it counts the members.
    for (const type of types) normalizeAttributeValue({ [type]: (value as Record<string, unknown>)[type] } as AttributeValue, depth);
    throw new CoreValidationError('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
  }
  if (depth > MAX_NESTING_LEVELS) throw new RequestLimitError(NESTING_LIMIT_MESSAGE);
  if ('N' in value) return { N: normalizeNumber(value.N) };
  if ('NULL' in value) {
    if (value.NULL !== true) throw new CoreValidationError(`${PREFIX}Null attribute value types must have the value of true`);
    return value;
  }
  if ('SS' in value) {
    if (!value.SS.length) throw new CoreValidationError(`${PREFIX}An string set  may not be empty`);
    if (duplicateOf(value.SS)) throw new ValueContentError(`${PREFIX}Input collection [${value.SS.join(', ')}] contains duplicates.`);
    if (value.SS.includes(null as unknown as string)) throw new CoreValidationError(`${PREFIX}An string set may not have a null string as a member`);
    return value;
  }
  if ('NS' in value) {
    if (!value.NS.length) throw new ValueContentError(`${PREFIX}An number set  may not be empty`);
    if (value.NS.includes(null as unknown as string)) throw nullValue();
    const numbers = value.NS.map(normalizeNumber);
    if (duplicateOf(numbers)) throw new ValueContentError('Input collection contains duplicates');
    return { NS: numbers };
  }
  if ('BS' in value) {
    if (!value.BS.length) throw new CoreValidationError(`${PREFIX}Binary sets should not be empty`);
    if (value.BS.includes(null as unknown as string)) throw nullValue();
    if (duplicateOf(value.BS, (b) => Array.from(decodeBase64(b)).join(','))) {
      throw new ValueContentError(`${PREFIX}Input collection [${value.BS.join(', ')}]of type BS contains duplicates.`);
    }
    return value;
  }
  if ('L' in value) return { L: value.L.map((v) => normalizeAttributeValue(v, depth + 1)) };
  if ('M' in value) return { M: normalizeItem(value.M, depth + 1) };
  return value;
}

/** Refuses a name longer than DynamoDB allows, as DynamoDB words it. */
export function checkAttributeName(name: string): void {
  if (name.length > SURELY_SHORT_NAME && utf8Length(name) > MAX_ATTRIBUTE_NAME_BYTES) {
    throw new RequestLimitError(`1 validation error detected: Attribute name is too large, must be less than ${MAX_ATTRIBUTE_NAME_BYTES + 1} bytes`);
  }
}

/** Checks every name and value of an item (or Key, or ExpressionAttributeValues) and normalizes numbers. */
export function normalizeItem(item: Item, depth = 1): Item {
  const out: Item = {};
  for (const name in item) {
    checkAttributeName(name);
    if (item[name] == null) throw nullValue(name);
    setOwn(out, name, normalizeAttributeValue(item[name], depth));
  }
  return out;
}
