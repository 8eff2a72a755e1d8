/**
 * Shared state of one request's expressions: placeholder lookup and usage, and the semantic
 * errors found while parsing, reported in DynamoDB's order of precedence.
 */
import type { AttributeValue } from '../types.js';
import { own } from '../plainData.js';
import { ExpressionProblem } from './errors.js';
import { isReservedWord } from './reserved.js';

export type ErrorCategory =
  | 'parens' | 'reserved' | 'unknownFunction' | 'misusedFunction' | 'section' | 'attrName' | 'attrVal'
  | 'pathOverlap' | 'pathConflict' | 'operand' | 'distinct' | 'function';

export class Placeholders {
  readonly unusedNames: Set<string>;
  readonly unusedValues: Set<string>;

  constructor(readonly names: Record<string, string> = {}, readonly values: Record<string, AttributeValue> = {}) {
    this.unusedNames = new Set(Object.keys(names));
    this.unusedValues = new Set(Object.keys(values));
  }
}

/** Errors of one expression; only the first of each category is kept. */
export class ProblemSet {
  private readonly found = new Map<ErrorCategory, string>();

  constructor(private readonly placeholders: Placeholders) {}

  add(category: ErrorCategory, message: string): void {
    if (!this.found.has(category)) this.found.set(category, message);
  }

  has(category: ErrorCategory): boolean {
    return this.found.has(category);
  }

  name(placeholder: string): string {
    const resolved = own(this.placeholders.names, placeholder);
    if (resolved === undefined) {
      this.add('attrName', `An expression attribute name used in the document path is not defined; attribute name: ${placeholder}`);
      return placeholder;
    }
    this.placeholders.unusedNames.delete(placeholder);
    return resolved;
  }

  value(placeholder: string): AttributeValue {
    const resolved = own(this.placeholders.values, placeholder);
    if (resolved === undefined) {
      this.add('attrVal', `An expression attribute value used in expression is not defined; attribute value: ${placeholder}`);
      return { NULL: true };
    }
    this.placeholders.unusedValues.delete(placeholder);
    return resolved;
  }

  bareName(name: string): string {
    if (isReservedWord(name)) this.add('reserved', `Attribute name is a reserved keyword; reserved keyword: ${name}`);
    return name;
  }

  /** Throws the most important problem found, in the given order. */
  throwFirst(order: ErrorCategory[]): void {
    for (const category of order) {
      const message = this.found.get(category);
      if (message) throw new ExpressionProblem(message);
    }
  }
}
