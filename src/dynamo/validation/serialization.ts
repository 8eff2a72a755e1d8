/**
 * The JSON-to-model conversion DynamoDB performs before validating: a member of the wrong JSON
 * type is a SerializationException, unknown members are ignored and nulls count as absent.
 */
import { SerializationException } from '../errors.js';
import type { FieldRule, RequestShape } from './shape.js';

const ATTRIBUTE_VALUE_MEMBERS: Record<string, FieldRule> = {
  S: { type: 'String' },
  N: { type: 'String' },
  B: { type: 'Blob' },
  BOOL: { type: 'Boolean' },
  NULL: { type: 'Boolean' },
  SS: { type: 'List', element: { type: 'String' } },
  NS: { type: 'List', element: { type: 'String' } },
  BS: { type: 'List', element: { type: 'Blob' } },
};

function fail(message: string): never {
  throw new SerializationException(message);
}

function describeScalar(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'TRUE_VALUE' : 'FALSE_VALUE';
  if (typeof value === 'number') return Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
  return 'STRING_VALUE';
}

function convertScalar(value: unknown, type: string): unknown {
  if (typeof value === 'object') {
    if (Array.isArray(value)) fail(`Unrecognized collection type class java.lang.${type}`);
    fail('Start of structure or map found where not expected');
  }
  switch (type) {
    case 'String':
      if (typeof value !== 'string') fail(`${describeScalar(value)} cannot be converted to String`);
      return value;
    case 'Boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number') fail(`${describeScalar(value)} cannot be converted to Boolean`);
      {
        const upper = String(value).toUpperCase();
        if (['TRUE', '1', 'YES'].includes(upper)) return true;
        if (['FALSE', '0', 'NO'].includes(upper)) return false;
      }
      return fail('Unexpected token received from parser');
    case 'Blob':
      if (typeof value !== 'string') fail('only base-64-encoded strings are convertible to bytes');
      if (value.length % 4) fail(`Base64 encoded length is expected a multiple of 4 bytes but found: ${value.length}`);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) fail('Invalid last non-pad Base64 character dectected');
      return value;
    default: // Integer, Long, Double
      if (typeof value !== 'number') fail(`${describeScalar(value)} cannot be converted to ${type}`);
      return type === 'Double' ? value : Math.floor(value);
  }
}

function convertObject(value: unknown, collectionMessage: string): Record<string, unknown> {
  if (typeof value !== 'object') fail('Unexpected field type');
  if (Array.isArray(value)) fail(collectionMessage);
  return value as Record<string, unknown>;
}

function convertAttributeValue(value: unknown): unknown {
  if (typeof value !== 'object') fail('Unexpected value type in payload');
  if (Array.isArray(value)) fail('Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue');
  const out: Record<string, unknown> = {};
  for (const [member, child] of Object.entries(value as Record<string, unknown>)) {
    if (child == null) continue;
    if (member === 'M') out.M = convertItem(child);
    else if (member === 'L') {
      if (typeof child !== 'object') fail('Unexpected field type');
      if (!Array.isArray(child)) fail('Start of structure or map found where not expected');
      out.L = child.map(convertAttributeValue);
    } else if (ATTRIBUTE_VALUE_MEMBERS[member]) out[member] = convert(child, ATTRIBUTE_VALUE_MEMBERS[member]);
  }
  return out;
}

function convertItem(value: unknown): Record<string, unknown> {
  const object = convertObject(value,
    'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>');
  const out: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(object)) {
    if (child != null) out[name] = convertAttributeValue(child);
  }
  return out;
}

function convert(value: unknown, rule: FieldRule): unknown {
  switch (rule.type) {
    case 'Any':
      return value;
    case 'AttrValue':
      return convertAttributeValue(value);
    case 'Item':
      return convertItem(value);
    case 'Struct': {
      const object = convertObject(value, `Unrecognized collection type class com.amazonaws.dynamodb.v20120810.${rule.structName}`);
      return convertStruct(object, rule.fields ?? {});
    }
    case 'List':
      if (typeof value !== 'object') fail('Unexpected field type');
      if (!Array.isArray(value)) fail('Start of structure or map found where not expected');
      return value.map((child) => (child == null ? child : convert(child, rule.element!)));
    case 'Map': {
      const object = convertObject(value, 'Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>');
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(object)) out[key] = child == null ? child : convert(child, rule.element!);
      return out;
    }
    default:
      return convertScalar(value, rule.type);
  }
}

function convertStruct(object: Record<string, unknown>, fields: Record<string, FieldRule>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, rule] of Object.entries(fields)) {
    const value = object[name];
    if (value != null) out[name] = convert(value, rule);
  }
  return out;
}

/** Converts a parsed JSON body to the request model, dropping members the operation does not know. */
export function deserializeRequest(body: unknown, shape: RequestShape): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) fail('Start of structure or map found where not expected');
  return convertStruct(body as Record<string, unknown>, shape);
}
