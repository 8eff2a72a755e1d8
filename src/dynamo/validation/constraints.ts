/** DynamoDB's member constraints, reported as '<n> validation errors detected: …' (at most 10). */
import { ValidationException } from '../errors.js';
import type { FieldRule, RequestShape } from './shape.js';

const MAX_REPORTED = 10;

const patterns = new Map<string, RegExp>();

/** Anchored patterns, compiled once: validation runs on every request. */
function pattern(source: string): RegExp {
  let compiled = patterns.get(source);
  if (!compiled) {
    compiled = new RegExp(`^${source}$`);
    patterns.set(source, compiled);
  }
  return compiled;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function render(value: unknown): string {
  if (value == null) return 'null';
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function sizeOf(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  return Object.keys(value as object).length;
}

class Collector {
  readonly errors: string[] = [];

  check(ok: boolean, message: string, value: unknown, path: string): void {
    if (ok || this.errors.length >= MAX_REPORTED) return;
    const shown = value == null ? 'null' : `'${render(value)}'`;
    this.errors.push(`Value ${shown} at '${path}' failed to satisfy constraint: ${message}`);
  }
}

function checkKeys(value: Record<string, unknown>, keys: NonNullable<FieldRule['keys']>, path: string, out: Collector): void {
  for (const key of Object.keys(value)) {
    const ok = (keys.lengthMin === undefined || key.length >= keys.lengthMin)
      && (keys.lengthMax === undefined || key.length <= keys.lengthMax)
      && (keys.regex === undefined || pattern(keys.regex).test(key));
    if (ok) continue;
    const parts: string[] = [];
    // DynamoDB lists the map key constraints in this order.
    if (keys.lengthMax !== undefined) parts.push(`Member must have length less than or equal to ${keys.lengthMax}`);
    if (keys.lengthMin !== undefined) parts.push(`Member must have length greater than or equal to ${keys.lengthMin}`);
    if (keys.regex !== undefined) parts.push(`Member must satisfy regular expression pattern: ${keys.regex}`);
    out.check(false, `Map keys must satisfy constraint: [${parts.join(', ')}]`, value, path);
  }
}

/** A map as DynamoDB's Java service prints it in these messages: {name=[…], …}. */
function renderJavaMap(value: Record<string, unknown>): string {
  return `{${Object.entries(value).map(([key, child]) => `${key}=${render(child)}`).join(', ')}}`;
}

function checkValues(value: Record<string, unknown>, values: NonNullable<FieldRule['values']>, path: string, out: Collector): void {
  for (const child of Object.values(value)) {
    // A null value is left to the operation, which words it itself.
    if (child == null || (sizeOf(child) >= values.lengthMin && sizeOf(child) <= values.lengthMax)) continue;
    const message = `Map value must satisfy constraint: [Member must have length less than or equal to ${values.lengthMax}, Member must have length greater than or equal to ${values.lengthMin}]`;
    out.check(false, message, renderJavaMap(value), path);
  }
}

function checkField(value: unknown, rule: FieldRule, path: string, out: Collector): void {
  if (rule.notNull) out.check(value != null, 'Member must not be null', value, path);
  if (value == null) return;
  if (rule.lengthMin !== undefined) out.check(sizeOf(value) >= rule.lengthMin, `Member must have length greater than or equal to ${rule.lengthMin}`, value, path);
  if (rule.lengthMax !== undefined) out.check(sizeOf(value) <= rule.lengthMax, `Member must have length less than or equal to ${rule.lengthMax}`, value, path);
  if (rule.regex !== undefined) {
    out.check(pattern(rule.regex).test(String(value)), `Member must satisfy regular expression pattern: ${rule.regex}`, value, path);
  }
  if (rule.min !== undefined) out.check((value as number) >= rule.min, `Member must have value greater than or equal to ${rule.min}`, value, path);
  if (rule.max !== undefined) out.check((value as number) <= rule.max, `Member must have value less than or equal to ${rule.max}`, value, path);
  if (rule.enum) out.check(rule.enum.includes(value as string), `Member must satisfy enum value set: [${rule.enum.join(', ')}]`, value, path);
  if (rule.keys) checkKeys(value as Record<string, unknown>, rule.keys, path, out);
  if (rule.values) checkValues(value as Record<string, unknown>, rule.values, path, out);
  if (rule.type === 'Struct') checkStruct(value as Record<string, unknown>, rule.fields ?? {}, path, out);
  if (rule.type === 'List' && rule.element) {
    (value as unknown[]).forEach((child, index) => checkField(child, rule.element!, `${path}.${index + 1}.member`, out));
  }
  if (rule.type === 'Map' && rule.element) {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) checkField(child, rule.element, `${path}.${key}.member`, out);
  }
}

function checkStruct(value: Record<string, unknown>, fields: Record<string, FieldRule>, prefix: string, out: Collector): void {
  for (const [name, rule] of Object.entries(fields)) {
    checkField(value[name], rule, prefix ? `${prefix}.${lowerFirst(name)}` : lowerFirst(name), out);
  }
}

const TABLE_NAME_MIN = 3;
const TABLE_NAME_MAX = 255;

/** Required members and table name lengths come first, each on its own, as DynamoDB reports them. */
function checkRequired(request: Record<string, unknown>, shape: RequestShape): void {
  for (const [name, rule] of Object.entries(shape)) {
    const value = request[name];
    if (rule.required && value == null) {
      throw new ValidationException(`The parameter '${name}' is required but was not present in the request`);
    }
    if (rule.tableNameLength && typeof value === 'string' && (value.length < TABLE_NAME_MIN || value.length > TABLE_NAME_MAX)) {
      throw new ValidationException(`${name} must be at least ${TABLE_NAME_MIN} characters long and at most ${TABLE_NAME_MAX} characters long`);
    }
  }
}

export function checkConstraints(request: Record<string, unknown>, shape: RequestShape): void {
  checkRequired(request, shape);
  const out = new Collector();
  checkStruct(request, shape, '', out);
  const count = out.errors.length;
  if (count) {
    throw new ValidationException(`${count} validation error${count > 1 ? 's' : ''} detected: ${out.errors.join('; ')}`);
  }
}
