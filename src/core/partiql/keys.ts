/** Finds a table's key in a WHERE clause: equalities on key attributes among its top-level AND terms. */
import { own, setOwn } from '../plainData.js';
import type { AttributeValue, Item, KeyShape } from '../types.js';
import { attributeType } from '../values.js';
import type { PqExpr } from './ast.js';
import type { Constants } from './constants.js';
import { MESSAGES, refused } from './errors.js';

/** The AND-joined terms of a condition, in order (iteratively: a long chain nests deeply). */
export function conjunctsOf(expr: PqExpr | undefined): PqExpr[] {
  if (!expr) return [];
  const out: PqExpr[] = [];
  const pending: PqExpr[] = [expr];
  while (pending.length) {
    const next = pending.pop()!;
    if (next.kind === 'and') pending.push(next.right, next.left);
    else out.push(next);
  }
  return out;
}

/** The value a term pins `attribute` to (`attribute = value` either way round), if it is such a term. */
export function equalityOn(term: PqExpr, attribute: string, constants: Constants): AttributeValue | undefined {
  if (term.kind !== 'compare' || term.op !== '=') return undefined;
  const sides = [[term.left, term.right], [term.right, term.left]] as const;
  for (const [path, other] of sides) {
    if (path.kind === 'path' && path.path.length === 1 && path.path[0] === attribute) {
      const value = constants.valueOf(other);
      if (value !== undefined) return value;
    }
  }
  return undefined;
}

export interface KeyTerms {
  /** The key attributes the WHERE pins, by name. */
  key: Item;
  /** The terms left once the key equalities are taken out. */
  rest: PqExpr[];
}

function checkKeyType(name: string, type: string, value: AttributeValue): void {
  if (attributeType(value) !== type) refused(`Key attribute's data type should match its data type in table's schema: Key ${name}`);
}

/** Equalities on the key attributes; `required` (UPDATE, DELETE) refuses a WHERE without one on each. */
export function keyTerms(where: PqExpr | undefined, shape: KeyShape, constants: Constants, required: boolean): KeyTerms {
  const key: Item = {};
  const rest: PqExpr[] = [];
  const attributes = [shape.hash, ...(shape.range ? [shape.range] : [])];
  for (const term of conjunctsOf(where)) {
    const match = attributes.find(({ name }) => equalityOn(term, name, constants) !== undefined);
    if (!match) { rest.push(term); continue; }
    if (own(key, match.name)) {
      if (required) refused(`Multiple conditions on same key ${match.name}. Only single item Update/Insert/Delete are supported`);
      rest.push(term);
      continue;
    }
    const value = equalityOn(term, match.name, constants)!;
    checkKeyType(match.name, match.type, value);
    setOwn(key, match.name, value);
  }
  if (required && attributes.some(({ name }) => !own(key, name))) refused(MESSAGES.incompleteKey);
  return { key, rest };
}

/** True when the key covers every key attribute of the table. */
export function isFullKey(key: Item, shape: KeyShape): boolean {
  return own(key, shape.hash.name) !== undefined && (!shape.range || own(key, shape.range.name) !== undefined);
}
