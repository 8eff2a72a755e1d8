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
  | 'pathOverlap' | 'pathConflict' | 'operand' | 'distinct' | 'function' | 'condition';

export class Placeholders {
  readonly unusedNames: Set<string>;
  readonly unusedValues: Set<string>;

  constructor(readonly names: Record<string, string> = {}, readonly values: Record<string, AttributeValue> = {}) {
    this.unusedNames = new Set(Object.keys(names));
    this.unusedValues = new Set(Object.keys(values));
  }
}

export interface Problem {
  category: ErrorCategory;
  message: string;
}

/**
 * Errors of one expression; only the first of each category is kept. A parse that backtracks
 * drops what it found since a mark, and a part read once and reused (a remembered operand)
 * brings back what was found while reading it.
 */
export class ProblemSet {
  private readonly found: Problem[] = [];
  /** Problems found while reading parts that will be remembered, innermost last. */
  private readonly recordings: Problem[][] = [];

  /**
   * `valueCategory`: where an undefined value placeholder ranks. A condition ranks names and
   * values together (the first one undefined is reported), an update names first.
   */
  constructor(private readonly placeholders: Placeholders, private readonly valueCategory: ErrorCategory = 'attrVal') {}

  add(category: ErrorCategory, message: string): void {
    if (!this.found.some((p) => p.category === category)) this.found.push({ category, message });
    for (const recording of this.recordings) {
      if (!recording.some((p) => p.category === category)) recording.push({ category, message });
    }
  }

  mark(): number {
    return this.found.length;
  }

  since(mark: number): Problem[] {
    return this.found.slice(mark);
  }

  /** Forgets what was found since the mark. */
  reset(mark: number): void {
    this.found.length = mark;
  }

  /** Problems found from here until stopRecording are also kept for the caller to replay. */
  startRecording(): void {
    this.recordings.push([]);
  }

  stopRecording(): Problem[] {
    return this.recordings.pop() ?? [];
  }

  replay(problems: Problem[]): void {
    for (const problem of problems) this.add(problem.category, problem.message);
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
      this.add(this.valueCategory, `An expression attribute value used in expression is not defined; attribute value: ${placeholder}`);
      return { NULL: true };
    }
    this.placeholders.unusedValues.delete(placeholder);
    return resolved;
  }

  bareName(name: string): string {
    if (isReservedWord(name)) this.add('reserved', `Attribute name is a reserved keyword; reserved keyword: ${name}`);
    return name;
  }

  /**
   * Settles one part of an expression (a comparison or function of a condition): unless an
   * earlier part settled, the first of the given categories found so far becomes `as`.
   */
  settle(categories: readonly ErrorCategory[], as: ErrorCategory): void {
    if (this.found.some((p) => p.category === as)) return;
    for (const category of categories) {
      const problem = this.found.find((p) => p.category === category);
      if (problem) { this.add(as, problem.message); return; }
    }
  }

  /** Throws the most important problem found, in the given order. */
  throwFirst(order: ErrorCategory[]): void {
    for (const category of order) {
      const problem = this.found.find((p) => p.category === category);
      if (problem) throw new ExpressionProblem(problem.message);
    }
  }
}
