/**
 * PartiQL expressions by precedence: OR, AND, NOT, then comparisons (=, <>, <, IN, BETWEEN, IS),
 * then + and -, then terms (literals, `?`, paths, calls, lists, maps, sets, parentheses).
 */
import type { DocumentPath } from '../expr/ast.js';
import type { Comparison, PqExpr } from './ast.js';
import { Cursor } from './cursor.js';
import { malformed, MESSAGES } from './errors.js';
import { positionOf } from './lexer.js';

const COMPARISONS: Record<string, Comparison> = { '=': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
/** Nesting beyond this is refused before it can exhaust the stack. */
const MAX_DEPTH = 64;

export class ExpressionParser {
  private depth = 0;

  constructor(private readonly cursor: Cursor) {}

  parse(): PqExpr {
    return this.or();
  }

  /** The right operand of an infix operator: nothing there is its own message. */
  private right<T>(parse: () => T): T {
    if (this.cursor.atEnd()) malformed(MESSAGES.missingRight);
    return parse();
  }

  private or(): PqExpr {
    let left = this.and();
    while (this.cursor.acceptWord('or')) left = { kind: 'or', left, right: this.right(() => this.and()) };
    return left;
  }

  private and(): PqExpr {
    let left = this.not();
    while (this.cursor.acceptWord('and')) left = { kind: 'and', left, right: this.right(() => this.not()) };
    return left;
  }

  private not(): PqExpr {
    if (this.cursor.acceptWord('not')) return this.nested(() => ({ kind: 'not', operand: this.not() }));
    return this.comparison();
  }

  private comparison(): PqExpr {
    const c = this.cursor;
    const subject = this.additive();
    const token = c.peek();
    if (token.kind === 'punct' && COMPARISONS[token.text]) {
      c.next();
      return { kind: 'compare', op: COMPARISONS[token.text], left: subject, right: this.right(() => this.additive()) };
    }
    const negated = c.isWord('not') && (c.isWord('in', 1) || c.isWord('between', 1));
    if (negated) c.next();
    let expr: PqExpr | undefined;
    if (c.acceptWord('in')) expr = { kind: 'in', subject, options: this.right(() => this.inList()) };
    else if (c.acceptWord('between')) {
      const low = this.right(() => this.additive());
      c.expectWord('and', 'Expected AND after BETWEEN');
      expr = { kind: 'between', subject, low, high: this.right(() => this.additive()) };
    } else if (c.acceptWord('is')) {
      const not = c.acceptWord('not');
      const type = c.next();
      const name = type.kind === 'name' ? type.text.toUpperCase() : '';
      if (name !== 'MISSING' && name !== 'NULL') malformed('Expected type name');
      return { kind: 'is', subject, type: name, negated: not };
    }
    if (!expr) return subject;
    return negated ? { kind: 'not', operand: expr } : expr;
  }

  private inList(): PqExpr[] {
    const c = this.cursor;
    const close = c.accept('[') ? ']' : c.accept('(') ? ')' : malformed('Expected a list after IN');
    return this.sequence(close);
  }

  private additive(): PqExpr {
    let left = this.term();
    for (;;) {
      if (this.cursor.accept('+')) left = { kind: 'plus', left, right: this.right(() => this.term()) };
      else if (this.cursor.accept('-')) left = { kind: 'minus', left, right: this.right(() => this.term()) };
      else return left;
    }
  }

  private nested<T>(parse: () => T): T {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) malformed('Expression nested too deeply');
    try {
      return parse();
    } finally {
      this.depth -= 1;
    }
  }

  /** Comma-separated expressions up to `close`. */
  private sequence(close: string): PqExpr[] {
    const items: PqExpr[] = [];
    if (this.cursor.accept(close)) return items;
    do items.push(this.nested(() => this.parse())); while (this.cursor.accept(','));
    this.cursor.expect(close, `Expected '${close}'`);
    return items;
  }

  private term(): PqExpr {
    const c = this.cursor;
    const token = c.peek();
    switch (token.kind) {
      case 'string': c.next(); return { kind: 'literal', value: { S: token.text } };
      case 'number': c.next(); return { kind: 'literal', value: { N: token.text } };
      case 'param': c.next(); return { kind: 'param', index: c.parameterCount++ };
      case 'quoted': return { kind: 'path', path: parsePath(c) };
      case 'name': return this.named();
      case 'punct': break;
      default: return c.failTerm();
    }
    if (c.accept('(')) {
      const inner = this.nested(() => this.parse());
      c.expect(')', "Expected ')'");
      return inner;
    }
    if (c.accept('[')) return { kind: 'list', items: this.sequence(']') };
    if (c.accept('<<')) return { kind: 'set', items: this.sequence('>>') };
    if (c.accept('{')) return this.map();
    if (token.text === '-' && c.peek(1).kind === 'number') {
      c.next();
      return { kind: 'literal', value: { N: `-${c.next().text}` } };
    }
    return c.failTerm();
  }

  private named(): PqExpr {
    const c = this.cursor;
    const token = c.peek();
    const word = token.text.toLowerCase();
    if (word === 'true' || word === 'false') { c.next(); return { kind: 'literal', value: { BOOL: word === 'true' } }; }
    if (word === 'null') { c.next(); return { kind: 'literal', value: { NULL: true } }; }
    if (word === 'missing') { c.next(); return { kind: 'missing' }; }
    if (Cursor.isKeyword(token)) return c.failTerm();
    const after = c.peek(1);
    if (after.kind === 'punct' && after.text === '(') {
      c.next();
      c.next();
      return { kind: 'call', name: word, args: this.sequence(')'), at: positionOf(token) };
    }
    return { kind: 'path', path: parsePath(c) };
  }

  private map(): PqExpr {
    const c = this.cursor;
    const entries: { key: string; value: PqExpr }[] = [];
    if (c.accept('}')) return { kind: 'map', entries };
    do {
      const key = c.next();
      if (key.kind !== 'string') malformed('Expected a string key in a tuple');
      c.expect(':', "Expected ':'");
      entries.push({ key: key.text, value: this.nested(() => this.parse()) });
    } while (c.accept(','));
    c.expect('}', "Expected '}'");
    return { kind: 'map', entries };
  }
}

/** `a.b[1]."c d"`: names (bare or double-quoted) and list indexes. */
export function parsePath(c: Cursor): DocumentPath {
  const first = c.next();
  if (first.kind !== 'name' && first.kind !== 'quoted') malformed('Expected identifier for simple path');
  const path: DocumentPath = [first.text];
  for (;;) {
    if (c.accept('.')) {
      const step = c.next();
      if (step.kind !== 'name' && step.kind !== 'quoted') malformed('Invalid path dot component');
      path.push(step.text);
    } else if (c.accept('[')) {
      const index = c.next();
      if (index.kind !== 'number' || !/^[0-9]+$/.test(index.text)) malformed('Invalid path index component');
      path.push(Number(index.text));
      c.expect(']', "Expected ']'");
    } else return path;
  }
}
