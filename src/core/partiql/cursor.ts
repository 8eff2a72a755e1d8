/** A cursor over a statement's tokens; keywords match case-insensitively. */
import { malformed, MESSAGES } from './errors.js';
import type { Token } from './lexer.js';

/** Words that end or join clauses; where a term should start they are "Unexpected keyword". */
const KEYWORDS = new Set([
  'select', 'from', 'where', 'order', 'by', 'insert', 'into', 'value', 'values', 'update', 'set', 'remove', 'delete',
  'returning', 'asc', 'desc', 'as',
]);
/** Operator words: where a term should start they are "Unexpected operator". */
const OPERATOR_WORDS = new Set(['and', 'or', 'in', 'between', 'is', 'like']);

export class Cursor {
  private index = 0;
  /** `?` seen so far; each is numbered in order of appearance. */
  parameterCount = 0;

  constructor(private readonly tokens: Token[]) {}

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)];
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index += 1;
    return token;
  }

  /** Whether the next token is the bare word `word` (any case). */
  isWord(word: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'name' && token.text.toLowerCase() === word;
  }

  acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.index += 1;
    return true;
  }

  expectWord(word: string, detail: string): void {
    if (!this.acceptWord(word)) malformed(detail);
  }

  isPunct(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === text;
  }

  accept(text: string): boolean {
    if (!this.isPunct(text)) return false;
    this.index += 1;
    return true;
  }

  expect(text: string, detail: string): void {
    if (!this.accept(text)) malformed(detail);
  }

  atEnd(): boolean {
    const token = this.peek();
    return token.kind === 'eof' || (token.kind === 'punct' && token.text === ';');
  }

  /** The error for a token found where a term (a value, a path, a call) should start. */
  failTerm(): never {
    const token = this.peek();
    if (this.atEnd()) malformed(MESSAGES.unexpectedTerm);
    if (token.kind === 'name') {
      const word = token.text.toLowerCase();
      if (OPERATOR_WORDS.has(word)) malformed('Unexpected operator');
      if (KEYWORDS.has(word)) malformed('Unexpected keyword');
    }
    if (token.kind === 'punct' && ['=', '<>', '!=', '<', '<=', '>', '>=', '+', '*'].includes(token.text)) malformed('Unexpected operator');
    malformed(MESSAGES.unexpectedTerm);
  }

  /** A statement ends with an optional semicolon and nothing after it. */
  finish(): void {
    this.accept(';');
    if (this.peek().kind !== 'eof') malformed(MESSAGES.leftover);
  }

  static isKeyword(token: Token): boolean {
    const word = token.text.toLowerCase();
    return token.kind === 'name' && (KEYWORDS.has(word) || OPERATOR_WORDS.has(word));
  }
}
