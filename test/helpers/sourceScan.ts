/**
 * Reading TypeScript source without a parser, for tests that check what code uses and imports:
 * comments and string contents blanked (offsets and lines kept), and the static imports of a file.
 * A scanner rather than a regex over raw text, so `'//'` in a string or `Date.now` in a comment or
 * an error message is neither missed nor flagged.
 */

export interface ScannedSource {
  /** The text with comments, string and template contents and regex bodies replaced by spaces. */
  code: string;
  /** The text with comments blanked only: import specifiers are still there. */
  withStrings: string;
}

/** Keywords after which a `/` starts a regular expression rather than a division. */
const REGEX_AFTER_WORDS = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await']);
const REGEX_AFTER_CHARS = '(,=:[!&|?{};+-*%<>~^';

const blank = (text: string): string => text.replace(/[^\n]/g, ' ');

/** Whether a `/` at `at` starts a regex, judged by what precedes it (the usual heuristic). */
function startsRegex(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && /\s/.test(text[i])) i -= 1;
  if (i < 0) return true;
  if (REGEX_AFTER_CHARS.includes(text[i])) return true;
  const word = /[\w$]+$/.exec(text.slice(Math.max(0, i - 10), i + 1));
  return word !== null && REGEX_AFTER_WORDS.has(word[0]);
}

/** End (exclusive) of a quoted string starting at `at`; strings do not span lines. */
function stringEnd(text: string, at: number): number {
  const quote = text[at];
  let i = at + 1;
  while (i < text.length && text[i] !== quote && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
  return Math.min(i + 1, text.length);
}

/** End (exclusive) of a regex literal starting at `at`, flags included. */
function regexEnd(text: string, at: number): number {
  let i = at + 1;
  let inClass = false;
  while (i < text.length && text[i] !== '\n') {
    const c = text[i];
    if (c === '\\') i += 1;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) break;
    i += 1;
  }
  i += 1;
  while (i < text.length && /[a-z]/.test(text[i])) i += 1;
  return i;
}

export function scanSource(text: string): ScannedSource {
  let code = '';
  let withStrings = '';
  const keep = (part: string): void => { code += part; withStrings += part; };
  const hide = (part: string, inCode: boolean): void => { code += blank(part); withStrings += inCode ? part : blank(part); };
  /** One entry per template literal we are inside the `${ }` of: the brace depth within it. */
  const templates: number[] = [];
  let i = 0;
  const template = (): void => {
    // In a template's text, from i up to its end or the next `${`.
    let j = i;
    while (j < text.length && text[j] !== '`' && !(text[j] === '$' && text[j + 1] === '{')) j += text[j] === '\\' ? 2 : 1;
    j = Math.min(j, text.length);
    hide(text.slice(i, j), true);
    i = j;
    if (j === text.length) return;
    if (text[j] === '`') { keep('`'); i = j + 1; return; }
    keep('${');
    templates.push(0);
    i = j + 2;
  };
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      hide(text.slice(i, stop), false);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      hide(text.slice(i, stop), false);
      i = stop;
    } else if (c === '\'' || c === '"') {
      const stop = stringEnd(text, i);
      keep(c);
      hide(text.slice(i + 1, stop - 1), true);
      keep(text.slice(stop - 1, stop));
      i = stop;
    } else if (c === '`') {
      keep('`');
      i += 1;
      template();
    } else if (c === '/' && startsRegex(text, i)) {
      const stop = regexEnd(text, i);
      keep('/');
      hide(text.slice(i + 1, stop), true);
      i = stop;
    } else if (templates.length && (c === '{' || c === '}')) {
      const depth = templates.length - 1;
      if (c === '{') templates[depth] += 1;
      else if (templates[depth] > 0) templates[depth] -= 1;
      else {
        // The `}` that closes a `${`: back in the template's text.
        templates.pop();
        keep('}');
        i += 1;
        template();
        continue;
      }
      keep(c);
      i += 1;
    } else {
      keep(c);
      i += 1;
    }
  }
  return { code, withStrings };
}

export interface ImportRef {
  specifier: string;
  /** Offset of the `import`/`export` keyword. */
  at: number;
  /** `import type`, `export type`, or braces holding only `type` names: erased, nothing loaded at run time. */
  typeOnly: boolean;
}

const FROM_CLAUSE = /(?<![\w$.])(import|export)\s+(type\s+)?([\w$*\s{},]*?)\s*from\s*(['"])([^'"\n]+)\4/g;
const BARE_IMPORT = /(?<![\w$.])import\s*(['"])([^'"\n]+)\1/g;
const DYNAMIC_IMPORT = /(?<![\w$.])import\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;

function onlyTypeNames(clause: string): boolean {
  const braces = /^\{([\s\S]*)\}$/.exec(clause.trim());
  if (!braces) return false;
  const names = braces[1].split(',').map((name) => name.trim()).filter(Boolean);
  return names.length > 0 && names.every((name) => /^type\s/.test(name));
}

/** Static and literal dynamic imports and re-exports of a scanned file. */
export function importsOf(source: ScannedSource): ImportRef[] {
  const refs: ImportRef[] = [];
  // A match counts only where its keyword is code (not inside a string or a comment).
  const isCode = (at: number): boolean => source.code.startsWith('import', at) || source.code.startsWith('export', at);
  for (const match of source.withStrings.matchAll(FROM_CLAUSE)) {
    if (!isCode(match.index)) continue;
    refs.push({ specifier: match[5], at: match.index, typeOnly: match[2] !== undefined || onlyTypeNames(match[3]) });
  }
  for (const pattern of [BARE_IMPORT, DYNAMIC_IMPORT]) {
    for (const match of source.withStrings.matchAll(pattern)) {
      if (isCode(match.index)) refs.push({ specifier: match[2], at: match.index, typeOnly: false });
    }
  }
  return refs.sort((a, b) => a.at - b.at);
}

/** 1-based line of an offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}
