/**
 * The JSON-to-model conversion DynamoDB performs before validating: a member of the wrong JSON
 * type is a SerializationException, unknown members are ignored, a null structure member counts
 * as absent, and a null in a map or list stays (validation refuses it with DynamoDB's words).
 */
import { SerializationException } from '../errors.js';
import { lookupTable, own, setOwn } from '../../core/plainData.js';
import type { FieldRule, RequestShape } from './shape.js';

const ATTRIBUTE_VALUE_MEMBERS: Readonly<Record<string, FieldRule>> = lookupTable({
  S: { type: 'String' },
  N: { type: 'String' },
  B: { type: 'Blob' },
  BOOL: { type: 'Boolean' },
  NULL: { type: 'Boolean' },
  SS: { type: 'List', element: { type: 'String' } },
  NS: { type: 'List', element: { type: 'String' } },
  BS: { type: 'List', element: { type: 'Blob' } },
});

const MODEL = 'com.amazonaws.dynamodb.v20120810.';
const ATTRIBUTE_MAP = `java.util.Map<java.lang.String, ${MODEL}AttributeValue>`;
/** What DynamoDB's Java deserializer says of a scalar where it expected a collection inside a collection. */
const NESTED_COLLECTION = "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base of loader 'bootstrap')";

/**
 * Where a value sits: a member of a structure ('field'), or an element of a list or a value of a
 * map ('value'); DynamoDB words some type errors differently for each.
 */
type Position = 'field' | 'value';

function fail(message: string): never {
  throw new SerializationException(message);
}

/** The Java type DynamoDB names in its messages about a map of this rule's values. */
function javaType(rule: FieldRule): string {
  switch (rule.type) {
    case 'Struct': return MODEL + rule.structName;
    case 'List': return `java.util.List<${javaType(rule.element!)}>`;
    case 'AttrValue': return `${MODEL}AttributeValue`;
    case 'Item': return ATTRIBUTE_MAP;
    default: return `java.lang.${rule.type}`;
  }
}

function describeScalar(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'TRUE_VALUE' : 'FALSE_VALUE';
  if (typeof value === 'number') return Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
  return 'STRING_VALUE';
}

/**
 * Base64 as DynamoDB's decoder accepts it: the alphabet, padding only at the end, and no bits set
 * past the last byte ('+/+=' encodes more than its two bytes), i.e. text that re-encodes to itself.
 */
function isCanonicalBase64(text: string): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(text) && Buffer.from(text, 'base64').toString('base64') === text;
}

function convertScalar(value: unknown, type: string): unknown {
  if (typeof value === 'object') {
    if (Array.isArray(value)) fail(`Unrecognized collection type class java.${type === 'Blob' ? 'nio.ByteBuffer' : `lang.${type}`}`);
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
      if (!isCanonicalBase64(value)) fail('Invalid last non-pad Base64 character dectected');
      return value;
    default: // Integer, Long, Double
      if (typeof value !== 'number') fail(`${describeScalar(value)} cannot be converted to ${type}`);
      return type === 'Double' ? value : Math.floor(value);
  }
}

/** A structure: a scalar is refused as DynamoDB refuses it in that position. */
function convertObject(value: unknown, structName: string, position: Position): Record<string, unknown> {
  if (typeof value !== 'object') fail(position === 'field' ? 'Unexpected field type' : 'Unexpected value type in payload');
  if (Array.isArray(value)) fail(`Unrecognized collection type class ${MODEL}${structName}`);
  return value as Record<string, unknown>;
}

/** A map or list: inside another collection a scalar gets the deserializer's cast error. */
function collectionScalar(position: Position): never {
  return fail(position === 'field' ? 'Unexpected field type' : NESTED_COLLECTION);
}

function convertMapObject(value: unknown, valueType: string, position: Position): Record<string, unknown> {
  if (typeof value !== 'object') collectionScalar(position);
  if (Array.isArray(value)) fail(`Unrecognized collection type java.util.Map<java.lang.String, ${valueType}>`);
  return value as Record<string, unknown>;
}

function convertListValue(value: unknown, position: Position): unknown[] {
  if (typeof value !== 'object') collectionScalar(position);
  if (!Array.isArray(value)) fail('Start of structure or map found where not expected');
  return value;
}

/**
 * An AttributeValue. Null members of its maps and lists are kept (not dropped as absent), so
 * validation can refuse them as DynamoDB does.
 */
function convertAttributeValue(value: unknown, position: Position): unknown {
  const object = convertObject(value, 'AttributeValue', position);
  const out: Record<string, unknown> = {};
  for (const [member, child] of Object.entries(object)) {
    if (child == null) continue;
    if (member === 'M') out.M = convertItem(child, 'field');
    else if (member === 'L') out.L = convertListValue(child, 'field').map((element) => (element == null ? null : convertAttributeValue(element, 'value')));
    else if (Object.hasOwn(ATTRIBUTE_VALUE_MEMBERS, member)) out[member] = convert(child, ATTRIBUTE_VALUE_MEMBERS[member], 'field');
  }
  return out;
}

function convertItem(value: unknown, position: Position): Record<string, unknown> {
  const object = convertMapObject(value, `${MODEL}AttributeValue`, position);
  const out: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(object)) setOwn(out, name, child == null ? null : convertAttributeValue(child, 'value'));
  return out;
}

function convert(value: unknown, rule: FieldRule, position: Position): unknown {
  switch (rule.type) {
    case 'Any':
      return value;
    case 'AttrValue':
      return convertAttributeValue(value, position);
    case 'Item':
      return convertItem(value, position);
    case 'Struct':
      return convertStruct(convertObject(value, rule.structName!, position), rule.fields ?? {});
    case 'List':
      return convertListValue(value, position).map((child) => (child == null ? child : convert(child, rule.element!, 'value')));
    case 'Map': {
      const object = convertMapObject(value, javaType(rule.element!), position);
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(object)) setOwn(out, key, child == null ? null : convert(child, rule.element!, 'value'));
      return out;
    }
    default:
      return convertScalar(value, rule.type);
  }
}

function convertStruct(object: Record<string, unknown>, fields: Record<string, FieldRule>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, rule] of Object.entries(fields)) {
    const value = own(object, name);
    if (value != null) out[name] = convert(value, rule, 'field');
  }
  return out;
}

/** Converts a parsed JSON body to the request model, dropping members the operation does not know. */
export function deserializeRequest(body: unknown, shape: RequestShape): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) fail('Start of structure or map found where not expected');
  return convertStruct(body as Record<string, unknown>, shape);
}
