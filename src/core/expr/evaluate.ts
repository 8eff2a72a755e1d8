/** Evaluates a condition against an item (undefined when the item does not exist). */
import { decodeBase64 } from '../base64.js';
import type { AttributeValue, Item } from '../types.js';
import { attributeType, compareScalars, valuesEqual } from '../values.js';
import type { ConditionExpr, Operand } from './ast.js';
import { valueAt } from './paths.js';

export function sizeOf(value: AttributeValue | undefined): AttributeValue | undefined {
  if (!value) return undefined;
  let size: number | undefined;
  if ('S' in value) size = value.S.length;
  else if ('B' in value) size = decodeBase64(value.B).length;
  else if ('SS' in value) size = value.SS.length;
  else if ('NS' in value) size = value.NS.length;
  else if ('BS' in value) size = value.BS.length;
  else if ('L' in value) size = value.L.length;
  else if ('M' in value) size = Object.keys(value.M).length;
  return size === undefined ? undefined : { N: String(size) };
}

export function resolveOperand(operand: Operand, item: Item | undefined): AttributeValue | undefined {
  if (operand.kind === 'value') return operand.value;
  if (operand.kind === 'path') return valueAt(item, operand.path);
  return sizeOf(valueAt(item, operand.path));
}

function ordered(a: AttributeValue | undefined, b: AttributeValue | undefined): -1 | 0 | 1 | undefined {
  return a && b ? compareScalars(a, b) : undefined;
}

function beginsWith(value: AttributeValue | undefined, prefix: AttributeValue | undefined): boolean {
  if (!value || !prefix) return false;
  if ('S' in value && 'S' in prefix) return value.S.startsWith(prefix.S);
  if ('B' in value && 'B' in prefix) {
    const [bytes, start] = [decodeBase64(value.B), decodeBase64(prefix.B)];
    return start.length <= bytes.length && start.every((byte, i) => bytes[i] === byte);
  }
  return false;
}

/**
 * One character per byte (a single-byte decoding maps each byte to its own character), so a
 * run of bytes is found by the engine's string search, linear where a byte loop is quadratic.
 */
const perByte = new TextDecoder('latin1');

/** A binary holds another when its bytes contain the other's as a contiguous run. */
function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  return perByte.decode(haystack).includes(perByte.decode(needle));
}

function contains(value: AttributeValue | undefined, element: AttributeValue | undefined): boolean {
  if (!value || !element) return false;
  if ('S' in value) return 'S' in element && value.S.includes(element.S);
  if ('B' in value) return 'B' in element && containsBytes(decodeBase64(value.B), decodeBase64(element.B));
  if ('SS' in value) return 'S' in element && value.SS.includes(element.S);
  if ('NS' in value) return 'N' in element && value.NS.some((n) => valuesEqual({ N: n }, element));
  if ('BS' in value) return 'B' in element && value.BS.some((b) => valuesEqual({ B: b }, element));
  if ('L' in value) return value.L.some((member) => valuesEqual(member, element));
  return false;
}

export function evaluateCondition(expr: ConditionExpr, item: Item | undefined): boolean {
  switch (expr.kind) {
    case 'and': return evaluateCondition(expr.left, item) && evaluateCondition(expr.right, item);
    case 'or': return evaluateCondition(expr.left, item) || evaluateCondition(expr.right, item);
    case 'not': return !evaluateCondition(expr.operand, item);
    case 'compare': {
      const [left, right] = [resolveOperand(expr.left, item), resolveOperand(expr.right, item)];
      if (expr.op === '=') return Boolean(left && right && valuesEqual(left, right));
      if (expr.op === '<>') return !(left && right && valuesEqual(left, right));
      const order = ordered(left, right);
      if (order === undefined) return false;
      return expr.op === '<' ? order < 0 : expr.op === '<=' ? order <= 0 : expr.op === '>' ? order > 0 : order >= 0;
    }
    case 'between': {
      const subject = resolveOperand(expr.subject, item);
      const low = ordered(subject, resolveOperand(expr.low, item));
      const high = ordered(subject, resolveOperand(expr.high, item));
      return low !== undefined && high !== undefined && low >= 0 && high <= 0;
    }
    case 'in': {
      const subject = resolveOperand(expr.subject, item);
      return Boolean(subject && expr.options.some((option) => {
        const value = resolveOperand(option, item);
        return value !== undefined && valuesEqual(subject, value);
      }));
    }
    case 'function': {
      const [first, second] = expr.args.map((arg) => resolveOperand(arg, item));
      switch (expr.name) {
        case 'attribute_exists': return first !== undefined;
        case 'attribute_not_exists': return first === undefined;
        case 'attribute_type': return Boolean(first && second && 'S' in second && attributeType(first) === second.S);
        case 'begins_with': return beginsWith(first, second);
        case 'contains': return contains(first, second);
      }
    }
  }
  return false;
}
