/**
 * DynamoDB's 32-level limit on attribute values, checked on the request as sent and before the
 * conversion, validation and size code that follow recurse into them (so it is the first error a
 * too deep value gets, whatever its depth). The body's JSON was already bounded when it was read.
 */
import { isJsonObject, NESTING_LIMIT_MESSAGE, nestedTooDeep } from '../../core/nesting.js';
import { ValidationException } from '../errors.js';
import type { FieldRule, RequestShape } from './shape.js';

const holding = new WeakMap<Record<string, FieldRule>, [string, FieldRule][]>();

/** The members of a shape that can hold attribute values (worked out once per shape). */
function fieldsHoldingValues(fields: Record<string, FieldRule>): [string, FieldRule][] {
  let found = holding.get(fields);
  if (!found) {
    found = Object.entries(fields).filter(([, rule]) => holdsValues(rule));
    holding.set(fields, found);
  }
  return found;
}

function holdsValues(rule: FieldRule): boolean {
  switch (rule.type) {
    case 'AttrValue': case 'Item': case 'Any': return true;
    case 'Struct': return fieldsHoldingValues(rule.fields ?? {}).length > 0;
    case 'List': case 'Map': return holdsValues(rule.element!);
    default: return false;
  }
}

/** Recursion follows the shape, which is a few levels deep; values are walked without it. */
function tooDeep(value: unknown, rule: FieldRule): boolean {
  if (value == null) return false;
  switch (rule.type) {
    case 'AttrValue':
      return nestedTooDeep(value);
    case 'Item':
      return isJsonObject(value) && Object.values(value).some((child) => nestedTooDeep(child));
    case 'Any':
      // The legacy conditions and updates (Expected, AttributeUpdates, KeyConditions, QueryFilter,
      // ScanFilter) are passed on as sent; their values are under Value and AttributeValueList.
      return isJsonObject(value) && (nestedTooDeep(value.Value)
        || (Array.isArray(value.AttributeValueList) && value.AttributeValueList.some((child) => nestedTooDeep(child))));
    case 'Struct':
      return isJsonObject(value) && fieldsHoldingValues(rule.fields ?? {}).some(([name, field]) => tooDeep(value[name], field));
    case 'List':
      return Array.isArray(value) && value.some((child) => tooDeep(child, rule.element!));
    case 'Map':
      return isJsonObject(value) && Object.values(value).some((child) => tooDeep(child, rule.element!));
    default:
      return false;
  }
}

/** Refuses a request whose attribute values nest deeper than DynamoDB allows (32 levels). */
export function checkNesting(body: unknown, shape: RequestShape): void {
  if (!isJsonObject(body)) return;
  for (const [name, rule] of fieldsHoldingValues(shape)) {
    if (tooDeep(body[name], rule)) throw new ValidationException(NESTING_LIMIT_MESSAGE);
  }
}
