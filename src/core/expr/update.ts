/** Applies an update expression to an item, with every operand read from the item as it was before. */
import { addNumbers, subtractNumbers } from '../decimal.js';
import type { AttributeValue, Item } from '../types.js';
import { valuesEqual } from '../values.js';
import type { DocumentPath, SetValue, UpdateExpr } from './ast.js';
import { ExpressionError, UpdateOperandTypeError } from './errors.js';
import { valueAt } from './paths.js';
import { setOwn } from '../plainData.js';

const INVALID_PATH = 'The document path provided in the update expression is invalid for update';
const WRONG_TYPE = 'An operand in the update expression has an incorrect data type';

const LEGACY_WRONG_TYPE = 'Type mismatch for attribute to update';

function fail(message: string): never {
  throw message === WRONG_TYPE ? new UpdateOperandTypeError(message) : new ExpressionError(message);
}

function evaluate(value: SetValue, original: Item): AttributeValue {
  switch (value.kind) {
    case 'value': return value.value;
    case 'path': return valueAt(original, value.path) ?? fail('The provided expression refers to an attribute that does not exist in the item');
    case 'size': return fail(WRONG_TYPE);
    case 'if_not_exists': return valueAt(original, value.path) ?? evaluate(value.fallback, original);
    case 'list_append': {
      const [first, second] = [evaluate(value.first, original), evaluate(value.second, original)];
      if (!('L' in first) || !('L' in second)) fail(WRONG_TYPE);
      return { L: [...first.L, ...second.L] };
    }
    default: {
      const [left, right] = [evaluate(value.left, original), evaluate(value.right, original)];
      if (!('N' in left) || !('N' in right)) fail(WRONG_TYPE);
      return { N: value.kind === 'plus' ? addNumbers(left.N, right.N) : subtractNumbers(left.N, right.N) };
    }
  }
}

/** The container that holds the last step of a path, or undefined when the path leads nowhere. */
function parentOf(item: Item, path: DocumentPath): AttributeValue | Item | undefined {
  if (path.length === 1) return item;
  const parent = valueAt(item, path.slice(0, -1));
  const step = path[path.length - 1];
  if (!parent) return undefined;
  if (typeof step === 'number' ? !('L' in parent) : !('M' in parent)) return undefined;
  return parent;
}

function put(item: Item, path: DocumentPath, value: AttributeValue): void {
  const parent = parentOf(item, path) ?? fail(INVALID_PATH);
  const step = path[path.length - 1];
  if (parent === item) { setOwn(item, step as string, value); return; }
  if (typeof step === 'number') {
    const list = (parent as { L: AttributeValue[] }).L;
    if (step < list.length) list[step] = value;
    else list.push(value);
  } else setOwn((parent as { M: Item }).M, step, value);
}

/** Removing from a container that is not there (or not a map or list as the path says) is invalid. */
function remove(item: Item, path: DocumentPath): void {
  const parent = parentOf(item, path) ?? fail(INVALID_PATH);
  const step = path[path.length - 1];
  if (parent === item) delete item[step as string];
  else if (typeof step === 'number') (parent as { L: AttributeValue[] }).L.splice(step, 1);
  else delete (parent as { M: Item }).M[step];
}

function setMembers(value: AttributeValue): { type: 'SS' | 'NS' | 'BS'; members: string[] } | undefined {
  if ('SS' in value) return { type: 'SS', members: value.SS };
  if ('NS' in value) return { type: 'NS', members: value.NS };
  if ('BS' in value) return { type: 'BS', members: value.BS };
  return undefined;
}

function sameMember(type: 'SS' | 'NS' | 'BS', a: string, b: string): boolean {
  return valuesEqual({ [type]: [a] } as AttributeValue, { [type]: [b] } as AttributeValue);
}

function add(existing: AttributeValue | undefined, operand: AttributeValue): AttributeValue {
  if (!existing) return operand;
  if ('N' in operand) return 'N' in existing ? { N: addNumbers(existing.N, operand.N) } : fail(WRONG_TYPE);
  const [have, more] = [setMembers(existing), setMembers(operand)];
  if (!have || !more || have.type !== more.type) fail(WRONG_TYPE);
  const union = [...have.members, ...more.members.filter((m) => !have.members.some((h) => sameMember(have.type, h, m)))];
  return { [have.type]: union } as AttributeValue;
}

function subtract(existing: AttributeValue, operand: AttributeValue): AttributeValue | undefined {
  const [have, less] = [setMembers(existing), setMembers(operand)];
  if (!have || !less || have.type !== less.type) fail(WRONG_TYPE);
  const rest = have.members.filter((m) => !less.members.some((l) => sameMember(have.type, m, l)));
  return rest.length ? ({ [have.type]: rest } as AttributeValue) : undefined;
}

/** The list index a path ends with (-1 for a name): SETs past a list's end apply in this order. */
function listIndex(path: DocumentPath): number {
  const last = path[path.length - 1];
  return typeof last === 'number' ? last : -1;
}

export function applyUpdate(expr: UpdateExpr, item: Item | undefined): { item: Item; updatedPaths: DocumentPath[] } {
  try {
    return applyActions(expr, item);
  } catch (error) {
    if (expr.legacy && error instanceof UpdateOperandTypeError) throw new ExpressionError(LEGACY_WRONG_TYPE);
    throw error;
  }
}

function applyActions(expr: UpdateExpr, item: Item | undefined): { item: Item; updatedPaths: DocumentPath[] } {
  const original = item ?? {};
  const next: Item = structuredClone(original);
  const sets = expr.actions.flatMap((a) => (a.kind === 'set' ? [{ path: a.path, value: evaluate(a.value, original) }] : []));
  // Indexes past a list's end append in index order, whatever the order of the actions (ADDs too, below).
  sets.sort((a, b) => listIndex(a.path) - listIndex(b.path));
  for (const { path, value } of sets) put(next, path, value);
  // List elements named by REMOVE refer to the original positions: remove from the back.
  const removals = expr.actions.filter((a) => a.kind === 'remove')
    .sort((a, b) => Number(b.path[b.path.length - 1]) - Number(a.path[a.path.length - 1]) || 0);
  for (const action of removals) remove(next, action.path);
  const additions = expr.actions.filter((a) => a.kind === 'add' || a.kind === 'delete').sort((a, b) => listIndex(a.path) - listIndex(b.path));
  for (const action of additions) {
    if (action.kind === 'add') put(next, action.path, add(valueAt(next, action.path), action.value));
    if (action.kind === 'delete') {
      if (!parentOf(next, action.path)) fail(INVALID_PATH);
      const existing = valueAt(next, action.path);
      if (!existing) continue;
      const rest = subtract(existing, action.value);
      if (rest) put(next, action.path, rest);
      else remove(next, action.path);
    }
  }
  return { item: next, updatedPaths: expr.actions.map((a) => a.path) };
}
