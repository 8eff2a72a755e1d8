/** Splits a PartiQL statement into tokens; comments (`--`, `/* *\/`) and whitespace are dropped. */
import { malformed } from './errors.js';

export type TokenKind = 'name' | 'quoted' | 'string' | 'number' | 'param' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** A name as written, a quoted name or string without its quotes, a number's digits, punctuation. */
  text: string;
  /** 1-based column on line `line`, for DynamoDB's `at <line>:<column>:<length>`. */
  line: number;
  column: number;
  length: number;
}

const PUNCTUATION = ['<<', '>>', '<=', '>=', '<>', '!=', '<', '>', '=', '(', ')', '[', ']', '{', '}', ',', '.', ':', '*', '+', '-', ';', '?'];
const NAME_START = /[A-Za-z_$]/;
const NAME_PART = /[A-Za-z0-9_$]/;
const DIGIT = /[0-9]/;

class Scanner {
  pos = 0;
  line = 1;
  lineStart = 0;
  readonly tokens: Token[] = [];

  constructor(readonly source: string) {}

  push(kind: TokenKind, text: string, start: number, end: number): void {
    this.tokens.push({ kind, text, line: this.line, column: start - this.lineStart + 1, length: end - start });
  }

  /** Advances over whitespace and comments; false at the end. */
  skipBlank(): boolean {
    const s = this.source;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === '\n') { this.pos += 1; this.line += 1; this.lineStart = this.pos; continue; }
      if (/\s/.test(c)) { this.pos += 1; continue; }
      if (s.startsWith('--', this.pos)) {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos += 1;
        continue;
      }
      if (s.startsWith('/*', this.pos)) {
        const end = s.indexOf('*/', this.pos + 2);
        if (end < 0) malformed('');
        for (let i = this.pos; i < end; i += 1) if (s[i] === '\n') { this.line += 1; this.lineStart = i + 1; }
        this.pos = end + 2;
        continue;
      }
      return true;
    }
    return false;
  }

  /** A quoted run ending at the next unescaped `quote` (doubled inside to escape it). */
  quoted(quote: string): string {
    const s = this.source;
    let text = '';
    let i = this.pos + 1;
    for (;;) {
      if (i >= s.length) malformed('');
      if (s[i] === quote) {
        if (s[i + 1] === quote) { text += quote; i += 2; continue; }
        break;
      }
      text += s[i];
      i += 1;
    }
    this.pos = i + 1;
    return text;
  }

  number(): void {
    const s = this.source;
    const start = this.pos;
    while (DIGIT.test(s[this.pos] ?? '')) this.pos += 1;
    if (s[this.pos] === '.' && DIGIT.test(s[this.pos + 1] ?? '')) {
      this.pos += 1;
      while (DIGIT.test(s[this.pos] ?? '')) this.pos += 1;
    }
    if (/[eE]/.test(s[this.pos] ?? '')) {
      const sign = /[+-]/.test(s[this.pos + 1] ?? '') ? 1 : 0;
      if (DIGIT.test(s[this.pos + 1 + sign] ?? '')) {
        this.pos += 1 + sign;
        while (DIGIT.test(s[this.pos] ?? '')) this.pos += 1;
      }
    }
    this.push('number', s.slice(start, this.pos), start, this.pos);
  }

  scan(): Token[] {
    const s = this.source;
    while (this.skipBlank()) {
      const start = this.pos;
      const c = s[start];
      if (c === "'" || c === '"') {
        const text = this.quoted(c);
        this.push(c === "'" ? 'string' : 'quoted', text, start, this.pos);
      } else if (DIGIT.test(c) || (c === '.' && DIGIT.test(s[start + 1] ?? ''))) {
        this.number();
      } else if (NAME_START.test(c)) {
        while (this.pos < s.length && NAME_PART.test(s[this.pos])) this.pos += 1;
        this.push('name', s.slice(start, this.pos), start, this.pos);
      } else {
        const punct = PUNCTUATION.find((p) => s.startsWith(p, start));
        if (!punct) malformed('');
        this.pos += punct.length;
        this.push(punct === '?' ? 'param' : 'punct', punct, start, this.pos);
      }
    }
    this.push('eof', '', this.pos, this.pos);
    return this.tokens;
  }
}

export function tokenize(source: string): Token[] {
  return new Scanner(source).scan();
}

/** `<line>:<column>:<length>` of a token, as DynamoDB's messages place it. */
export function positionOf(token: Token): string {
  return `${token.line}:${token.column}:${token.length}`;
}
