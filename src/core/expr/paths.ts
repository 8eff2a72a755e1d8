/** Document paths: parsing, printing as DynamoDB prints them, lookup, and overlap rules. */
import type { AttributeValue, Item } from '../types.js';
import type { ConditionExpr, DocumentPath, Operand, SetValue, UpdateExpr } from './ast.js';
import type { ProblemSet } from './context.js';
import type { Cursor } from './lexer.js';
import { own } from '../plainData.js';

const MAX_DEPTH = 32;

function element(cursor: Cursor, problems: ProblemSet): string {
  const token = cursor.peek();
  if (token.kind === 'name' && !cursor.isGrammarKeyword(token)) { cursor.next(); return problems.bareName(token.text); }
  if (token.kind === 'attrName') { cursor.next(); return problems.name(token.text); }
  return cursor.fail();
}

export function startsPath(cursor: Cursor): boolean {
  const token = cursor.peek();
  return token.kind === 'name' || token.kind === 'attrName';
}

export function parsePath(cursor: Cursor, problems: ProblemSet, head?: DocumentPath): DocumentPath {
  // A parenthesized path may go on: in (a.b).c the head is a.b.
  const path: DocumentPath = head ? [...head] : [element(cursor, problems)];
  for (;;) {
    if (cursor.accept('.')) path.push(element(cursor, problems));
    else if (cursor.accept('[')) {
      const index = cursor.peek();
      if (index.kind !== 'number') cursor.fail();
      cursor.next();
      path.push(Number(index.text));
      cursor.expect(']');
    } else break;
  }
  if (path.length > MAX_DEPTH) problems.add('operand', 'Nesting Levels have exceeded supported limits');
  return path;
}

/** [a, b, [0]], the form DynamoDB's messages use. */
export function pathString(path: DocumentPath): string {
  return `[${path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join(', ')}]`;
}

export function valueAt(item: Item | undefined, path: DocumentPath): AttributeValue | undefined {
  if (!item) return undefined;
  let current: AttributeValue | undefined = own(item, path[0] as string);
  for (let i = 1; i < path.length && current; i += 1) {
    const step = path[i];
    if (typeof step === 'number') current = 'L' in current ? current.L[step] : undefined;
    else current = 'M' in current ? own(current.M, step) : undefined;
  }
  return current;
}

/**
 * Two paths of one update must not overlap (one a prefix of the other) or conflict (one indexes
 * a list where the other names a map key).
 */
export function checkDisjoint(paths: DocumentPath[], problems: ProblemSet): void {
  for (let j = 1; j < paths.length; j += 1) {
    for (let i = 0; i < j; i += 1) {
      const [a, b] = [paths[i], paths[j]];
      let diverged = false;
      for (let k = 0; k < a.length && k < b.length; k += 1) {
        if (typeof a[k] !== typeof b[k]) {
          problems.add('pathConflict', `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${pathString(a)}, path two: ${pathString(b)}`);
          diverged = true;
          break;
        }
        if (a[k] !== b[k]) { diverged = true; break; }
      }
      if (!diverged) {
        problems.add('pathOverlap', `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${pathString(a)}, path two: ${pathString(b)}`);
      }
    }
  }
}

/** Every document path a condition names, operands included (walked without recursion: conditions nest deep). */
export function conditionPaths(expr: ConditionExpr): DocumentPath[] {
  const paths: DocumentPath[] = [];
  const note = (operand: Operand): void => {
    if (operand.kind !== 'value') paths.push(operand.path);
  };
  const pending: ConditionExpr[] = [expr];
  for (let next = pending.pop(); next; next = pending.pop()) {
    switch (next.kind) {
      case 'and': case 'or': pending.push(next.right, next.left); break;
      case 'not': pending.push(next.operand); break;
      case 'compare': note(next.left); note(next.right); break;
      case 'between': [next.subject, next.low, next.high].forEach(note); break;
      case 'in': [next.subject, ...next.options].forEach(note); break;
      case 'function': next.args.forEach(note); break;
    }
  }
  return paths;
}

/** Every document path an update names: the paths it changes and the paths its values read. */
export function updatePaths(expr: UpdateExpr): DocumentPath[] {
  const paths: DocumentPath[] = [];
  const pending: SetValue[] = [];
  for (const action of expr.actions) {
    paths.push(action.path);
    if (action.kind === 'set') pending.push(action.value);
  }
  for (let next = pending.pop(); next; next = pending.pop()) {
    switch (next.kind) {
      case 'value': break;
      case 'path': case 'size': paths.push(next.path); break;
      case 'if_not_exists': paths.push(next.path); pending.push(next.fallback); break;
      case 'list_append': pending.push(next.second, next.first); break;
      default: pending.push(next.right, next.left);
    }
  }
  return paths;
}
