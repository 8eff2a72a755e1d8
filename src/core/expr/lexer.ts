/** Splits an expression into tokens that remember where they stand, for DynamoDB's "near" context. */
import { ExpressionProblem, TooManyOperators } from './errors.js';

export type TokenKind = 'name' | 'attrName' | 'attrValue' | 'number' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

/**
 * Operators (comparators, AND, OR, NOT, BETWEEN, IN; in an update, + and - and functions) one
 * expression may hold. DynamoDB documents 300 for UpdateExpression and applies it to every
 * expression ("The expression contains too many operators; operator count: 301").
 */
const MAX_OPERATORS = 300;

const PUNCTUATION = ['<>', '<=', '>=', '=', '<', '>', '(', ')', '[', ']', '.', ',', '+', '-'];
const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const take = (kind: TokenKind, end: number): void => {
    tokens.push({ kind, text: source.slice(i, end), start: i, end });
    i = end;
  };
  while (i < source.length) {
    const char = source[i];
    if (/\s/.test(char)) { i += 1; continue; }
    let end = i + 1;
    if (NAME_START.test(char)) {
      while (end < source.length && NAME_PART.test(source[end])) end += 1;
      take('name', end);
    } else if ((char === '#' || char === ':') && end < source.length && NAME_PART.test(source[end])) {
      while (end < source.length && NAME_PART.test(source[end])) end += 1;
      take(char === '#' ? 'attrName' : 'attrValue', end);
    } else if (/[0-9]/.test(char)) {
      while (end < source.length && /[0-9]/.test(source[end])) end += 1;
      take('number', end);
    } else {
      const punct = PUNCTUATION.find((p) => source.startsWith(p, i));
      take('punct', i + (punct ? punct.length : 1));
    }
  }
  tokens.push({ kind: 'eof', text: '', start: source.length, end: source.length });
  return tokens;
}

/** Where a cursor stands: its token and how many operators it has read. */
export interface CursorMark {
  index: number;
  operators: number;
}

/** A cursor over tokens whose errors read exactly like DynamoDB's syntax errors. */
export class Cursor {
  private index = 0;
  private operators = 0;

  /** `keywords`: the words of this expression's own grammar, which can never name an attribute. */
  constructor(private readonly source: string, private readonly tokens: Token[], private readonly keywords: readonly string[] = []) {}

  /** True when the token is one of this grammar's keywords (an attribute so named is a syntax error). */
  isGrammarKeyword(token: Token): boolean {
    return token.kind === 'name' && this.keywords.includes(token.text.toUpperCase());
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index += 1;
    return token;
  }

  /** True (and consumed) when the next token is the given punctuation or keyword. */
  accept(text: string): boolean {
    const token = this.peek();
    const matches = token.kind === 'punct' ? token.text === text : token.kind === 'name' && token.text.toUpperCase() === text;
    if (matches) this.index += 1;
    return matches;
  }

  isKeyword(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'name' && token.text.toUpperCase() === word;
  }

  expect(text: string): void {
    if (!this.accept(text)) this.fail();
  }

  /** `Syntax error; token: "x", near: "<previous token> x <next token>"`, as DynamoDB words it. */
  fail(): never {
    const token = this.peek();
    const previous = this.index > 0 ? this.tokens[this.index - 1] : undefined;
    const following = token.kind === 'eof' ? undefined : this.tokens[this.index + 1];
    const from = previous ? previous.start : token.start;
    const to = following && following.kind !== 'eof' ? following.end : token.end;
    const shown = token.kind === 'eof' ? '<EOF>' : token.text;
    throw new ExpressionProblem(`Syntax error; token: "${shown}", near: "${this.source.slice(from, to)}"`);
  }

  /** Counts one operator just read; the 301st ends the parse. */
  countOperator(): void {
    this.operators += 1;
    if (this.operators > MAX_OPERATORS) throw new TooManyOperators(this.operators);
  }

  mark(): CursorMark {
    return { index: this.index, operators: this.operators };
  }

  /** Back to a mark: the tokens read since, and their operators, are read again. */
  reset(mark: CursorMark): void {
    this.index = mark.index;
    this.operators = mark.operators;
  }

  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }
}
