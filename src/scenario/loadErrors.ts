/** Scenario file problems: the error class, and zod issues reworded as "expected …, found …". */
import type { z } from 'zod';

export interface ScenarioProblem {
  line?: number;
  /** Where in the document, such as `steps[3].put.region`; `(top level)` for the document itself. */
  path: string;
  message: string;
}

/** A scenario file that cannot be played; lists every problem found, one per line. */
export class ScenarioError extends Error {
  readonly file: string;
  readonly problems: ScenarioProblem[];

  constructor(file: string, problems: ScenarioProblem[]) {
    super(problems.map((p) => `${file}${p.line === undefined ? '' : `:${p.line}`}: ${p.path}: ${p.message}`).join('\n'));
    this.name = 'ScenarioError';
    this.file = file;
    this.problems = problems;
  }
}

export type Path = readonly PropertyKey[];

/** `steps[3].put.region`: indexes in brackets, keys dotted (quoted when not a plain word). */
export function formatPath(path: Path): string {
  let text = '';
  for (const step of path) {
    if (typeof step === 'number') text += `[${step}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(step))) text += `${text ? '.' : ''}${String(step)}`;
    else text += `[${JSON.stringify(String(step))}]`;
  }
  return text || '(top level)';
}

/** The value at a path of the plain document, or undefined when some part of the path is missing. */
export function valueAt(root: unknown, path: Path): unknown {
  let value = root;
  for (const step of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[step];
  }
  return value;
}

/** A value as the user wrote it, short enough for one line. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return value.length ? `a list of ${value.length}` : 'an empty list';
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    return keys.length ? `a map with ${keys.join(', ')}` : 'an empty map';
  }
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string', number: 'a number', int: 'an integer', boolean: 'true or false', array: 'a list',
  object: 'a map', record: 'a map', null: 'null', tuple: 'a list',
};

const literal = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

type Issue = z.core.$ZodIssue;

/** The bound of a too_small or too_big issue in words: "a number >= 0", "at least 2 items". */
function bound(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  const unit = issue.origin === 'array' || issue.origin === 'set' ? 'item' : issue.origin === 'string' ? 'character' : undefined;
  if (unit) {
    const count = `${limit} ${unit}${limit === 1 ? '' : 's'}`;
    return issue.exact ? `exactly ${count}` : `${small ? 'at least' : 'at most'} ${count}`;
  }
  const kind = issue.origin === 'int' ? 'an integer' : 'a number';
  return `${kind} ${small ? '>' : '<'}${issue.inclusive ? '=' : ''} ${limit}`;
}

/** What a failed string format wanted: the schema's own wording when it gives one (see PLAIN_ERRORS). */
function format(issue: Extract<Issue, { code: 'invalid_format' }>): string {
  if (issue.message) return issue.message;
  return issue.format === 'regex' && issue.pattern ? `text matching ${issue.pattern}` : `a valid ${issue.format}`;
}

/**
 * Parse with this so zod leaves its own messages empty: only messages that a schema sets itself (such as
 * "a region name such as us-east-1") survive, and everything else is worded by plainIssues.
 */
export const PLAIN_ERRORS = { error: () => '' } as const;

/** Zod issues of a value at `base` in the document, as problems with paths (lines are added by the caller). */
export function plainIssues(issues: readonly Issue[], base: Path, root: unknown): { path: Path; message: string }[] {
  // zod still runs a list's size checks on a string it has just rejected; past the wrong type, they only add noise.
  const wrongType = new Set(issues.filter((i) => i.code === 'invalid_type').map((i) => formatPath(i.path)));
  const relevant = issues.filter((i) => i.code === 'invalid_type' || !wrongType.has(formatPath(i.path)));
  return relevant.flatMap((issue) => plainIssue(issue, [...base, ...issue.path], root));
}

function plainIssue(issue: Issue, path: Path, root: unknown): { path: Path; message: string }[] {
  const found = valueAt(root, path);
  const expected = (what: string) => [{ path, message: `expected ${what}, found ${show(found)}` }];
  switch (issue.code) {
    case 'invalid_type':
      return found === undefined ? [{ path, message: 'required' }] : expected(TYPE_WORDS[issue.expected] ?? issue.expected);
    case 'invalid_value':
      return expected(issue.values.length === 1 ? literal(issue.values[0]) : `one of ${issue.values.map(String).join(', ')}`);
    case 'unrecognized_keys':
      // One problem per key, placed at the key itself so its line is the key's line.
      return issue.keys.map((key) => ({ path: [...path, key], message: `unknown key "${key}"` }));
    case 'too_small':
    case 'too_big':
      return expected(bound(issue));
    case 'invalid_format':
      return expected(format(issue));
    case 'not_multiple_of':
      return expected(`a multiple of ${issue.divisor}`);
    case 'invalid_union':
      return union(issue, path, root);
    case 'invalid_key':
    case 'invalid_element':
      return issue.issues.flatMap((inner) => plainIssue(inner, [...path, ...inner.path], root));
    case 'custom':
      return [{ path, message: issue.message || `is not valid (found ${show(found)})` }];
  }
}

/**
 * No alternative of a union fits. When one alternative has exactly the keys the user wrote, its own problems
 * are the useful ones; otherwise say which shapes would fit ("a list or "all"", "a map with groups, or …").
 */
function union(issue: Extract<Issue, { code: 'invalid_union' }>, path: Path, root: unknown): { path: Path; message: string }[] {
  const found = valueAt(root, path);
  const fitting = issue.errors.filter((errors) => errors.every((e) => e.path.length > 0 && !isShapeIssue(e, path, root)));
  if (fitting.length === 1) return plainIssues(fitting[0], path, root);
  const shapes = issue.errors.map((errors) => shape(errors, found)).filter((s): s is string => s !== undefined);
  const unique = [...new Set(shapes)];
  return [{ path, message: unique.length ? `expected ${unique.join(' or ')}, found ${show(found)}` : `does not fit any allowed form, found ${show(found)}` }];
}

/** A missing or unknown key: the object is not the alternative the user meant, rather than a wrong field. */
function isShapeIssue(issue: Issue, base: Path, root: unknown): boolean {
  if (issue.code === 'unrecognized_keys') return true;
  return issue.code === 'invalid_type' && issue.path.length === 1 && valueAt(root, [...base, ...issue.path]) === undefined;
}

/** One alternative of a union in words, from the problems the value had with it. */
function shape(errors: readonly Issue[], found: unknown): string | undefined {
  const own = errors.filter((e) => e.path.length === 0);
  const first = own[0];
  if (first?.code === 'invalid_type' && first.expected !== 'object') return TYPE_WORDS[first.expected] ?? first.expected;
  if (first?.code === 'invalid_value') return first.values.map(literal).join(' or ');
  if (first?.code === 'too_small' || first?.code === 'too_big') return bound(first);
  // An object alternative: the keys it needs are the missing ones plus those written that it knows.
  const unknown = new Set(errors.flatMap((e) => (e.code === 'unrecognized_keys' ? e.keys : [])));
  const missing = errors.filter((e) => e.code === 'invalid_type' && e.path.length === 1).map((e) => String(e.path[0]));
  const written = found !== null && typeof found === 'object' && !Array.isArray(found) ? Object.keys(found) : [];
  const keys = [...new Set([...written.filter((k) => !unknown.has(k)), ...missing])];
  return keys.length ? `a map with ${keys.join(' and ')}` : first ? TYPE_WORDS.object : undefined;
}

/** Edit distance (insertions, deletions, substitutions, and swaps of neighbours count one each). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The closest of `choices` within two edits, for a "did you mean" hint. */
export function closest(word: string, choices: readonly string[]): string | undefined {
  let best: { choice: string; distance: number } | undefined;
  for (const choice of choices) {
    const distance = editDistance(word.toLowerCase(), choice.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { choice, distance };
  }
  return best?.choice;
}
