/** ConditionExpression / FilterExpression / KeyConditionExpression grammar, with DynamoDB's checks. */
import { checkBetween, checkDistinct, checkFunction, checkOrderable } from './conditionChecks.js';
import type { BooleanFunction, Comparator, ConditionExpr, Operand } from './ast.js';
import type { Problem, ProblemSet } from './context.js';
import { ExpressionProblem, TooManyOperators } from './errors.js';
import { sizeOf } from './evaluate.js';
import type { Cursor } from './lexer.js';
import { parsePath } from './paths.js';
import { catches, runSteps, type Step } from './steps.js';

const COMPARATORS: Comparator[] = ['=', '<>', '<', '<=', '>', '>='];
const MAX_IN_OPERANDS = 100;

type Parsed = Operand | { kind: 'call'; name: string; args: Operand[] };

export class ConditionParser {
  constructor(private readonly cursor: Cursor, private readonly problems: ProblemSet) {}

  parse(): ConditionExpr {
    return runSteps(this.whole());
  }

  private *whole(): Step<ConditionExpr> {
    const expr: ConditionExpr = yield this.or();
    if (!this.cursor.atEnd()) this.cursor.fail();
    return expr;
  }

  private *or(): Step<ConditionExpr> {
    let left: ConditionExpr = yield this.and();
    while (this.cursor.accept('OR')) {
      this.cursor.countOperator();
      left = { kind: 'or', left, right: yield this.and() };
    }
    return left;
  }

  private *and(): Step<ConditionExpr> {
    let left: ConditionExpr = yield this.not();
    while (this.cursor.accept('AND')) {
      this.cursor.countOperator();
      left = { kind: 'and', left, right: yield this.not() };
    }
    return left;
  }

  private *not(): Step<ConditionExpr> {
    if (this.cursor.accept('NOT')) {
      this.cursor.countOperator();
      return { kind: 'not', operand: yield this.not() };
    }
    return yield catches(this.primary());
  }

  /**
   * Operands already read, by the token they start at. A parenthesis may open a condition or an
   * operand and is tried as a condition first; at every level of ((((… the retry as an operand
   * would read the same operands again, and the parse would be quadratic in the nesting.
   */
  private readonly operands = new Map<number, { parsed: Parsed; endIndex: number; problems: Problem[] } | { error: unknown }>();

  /** Where parenthesized operands start (their token index), to spot ((a)). */
  private readonly parenthesizedAt = new Set<number>();

  /** The last condition parsed as a parenthesized group, to spot ((…)) around nothing else. */
  private lastGroup: ConditionExpr | undefined;

  private isOpenParen(offset = 0): boolean {
    const token = this.cursor.peek(offset);
    return token.kind === 'punct' && token.text === '(';
  }

  /** A comparator, BETWEEN or IN: what follows the first operand of a comparison. */
  private atComparison(): boolean {
    const token = this.cursor.peek();
    if (token.kind === 'punct') return (COMPARATORS as string[]).includes(token.text);
    return this.cursor.isKeyword('BETWEEN') || this.cursor.isKeyword('IN');
  }

  private *primary(): Step<ConditionExpr> {
    if (!this.isOpenParen()) return yield this.comparison();
    const mark = this.cursor.mark();
    const problemMark = this.problems.mark();
    const lastGroup = this.lastGroup;
    this.cursor.next();
    let group: ConditionExpr | undefined;
    try {
      const doubled = this.isOpenParen();
      group = (yield this.or()) as ConditionExpr;
      this.cursor.expect(')');
      if (!this.atComparison()) {
        if (doubled && group === this.lastGroup) this.problems.add('parens', 'The expression has redundant parentheses;');
        this.lastGroup = group;
        return group;
      }
    } catch (error) {
      // Not a parenthesized condition: maybe a parenthesized operand, as in (a) = :v.
      if (!(error instanceof ExpressionProblem) || error instanceof TooManyOperators) throw error;
      group = undefined;
    }
    // A group followed by a comparator was a parenthesized operand, as in (size(a)) = :v: read
    // again as a comparison, without what the reading as a condition found.
    const afterGroup = this.cursor.mark();
    const groupProblems = this.problems.since(problemMark);
    this.cursor.reset(mark);
    this.problems.reset(problemMark);
    this.lastGroup = lastGroup;
    if (!group) return yield this.comparison();
    try {
      return (yield this.comparison()) as ConditionExpr;
    } catch (error) {
      if (!(error instanceof ExpressionProblem) || error instanceof TooManyOperators) throw error;
      // Neither reading goes further: the group stands, and the parse fails where it ends.
      this.cursor.reset(afterGroup);
      this.problems.reset(problemMark);
      this.problems.replay(groupProblems);
      this.lastGroup = group;
      return group;
    }
  }

  private *comparison(): Step<ConditionExpr> {
    const part: ConditionExpr = yield this.comparisonPart();
    this.problems.settle(PER_PART_ORDER, 'condition');
    return part;
  }

  private *comparisonPart(): Step<ConditionExpr> {
    const subject: Parsed = yield this.operandOrCall();
    const op = COMPARATORS.find((c) => this.cursor.peek().kind === 'punct' && this.cursor.peek().text === c);
    if (op) {
      this.cursor.next();
      this.cursor.countOperator();
      const right: Operand = yield this.operand();
      const left = this.asOperand(subject);
      checkDistinct(this.problems, op, left, right);
      if (op !== '=' && op !== '<>') checkOrderable(this.problems, op, [left, right]);
      return { kind: 'compare', op, left, right };
    }
    if (this.cursor.accept('BETWEEN')) {
      this.cursor.countOperator();
      const low: Operand = yield this.operand();
      this.cursor.expect('AND');
      const high: Operand = yield this.operand();
      const between = { kind: 'between', subject: this.asOperand(subject), low, high } as const;
      checkOrderable(this.problems, 'BETWEEN', [between.subject]);
      checkBetween(this.problems, low, high);
      return between;
    }
    if (this.cursor.accept('IN')) {
      this.cursor.countOperator();
      this.cursor.expect('(');
      const options: Operand[] = [yield this.operand()];
      while (this.cursor.accept(',')) options.push(yield this.operand());
      this.cursor.expect(')');
      if (options.length > MAX_IN_OPERANDS) {
        this.problems.add('operand', `Too many operands for operator or function; operator or function: IN, number of operands: ${options.length}`);
      }
      return { kind: 'in', subject: this.asOperand(subject), options };
    }
    if (subject.kind === 'call' && subject.name !== 'size') {
      return { kind: 'function', name: subject.name as BooleanFunction, args: subject.args };
    }
    if (subject.kind === 'call' || subject.kind === 'size') {
      this.problems.add('misusedFunction', 'The function is not allowed to be used this way in an expression; function: size');
      return { kind: 'function', name: 'attribute_exists', args: [] };
    }
    return this.cursor.fail();
  }

  /** An operand where a value is needed: boolean functions are not allowed there. */
  private *operand(): Step<Operand> {
    return this.asOperand(yield this.operandOrCall());
  }

  private asOperand(parsed: Parsed): Operand {
    if (parsed.kind !== 'call') return parsed;
    this.problems.add('misusedFunction', `The function is not allowed to be used this way in an expression; function: ${parsed.name}`);
    return { kind: 'value', value: { NULL: true } };
  }

  private operandOrCall(): Step<Parsed> {
    return catches(this.rememberedOperand());
  }

  private *rememberedOperand(): Step<Parsed> {
    const start = this.cursor.mark();
    const known = this.operands.get(start.index);
    if (known) {
      if ('error' in known) throw known.error;
      // An operand holds no counted operators: only the position moves.
      this.cursor.reset({ ...start, index: known.endIndex });
      this.problems.replay(known.problems);
      return known.parsed;
    }
    this.problems.startRecording();
    try {
      const parsed: Parsed = yield this.readOperand();
      this.operands.set(start.index, { parsed, endIndex: this.cursor.mark().index, problems: this.problems.stopRecording() });
      return parsed;
    } catch (error) {
      this.problems.stopRecording();
      this.operands.set(start.index, { error });
      throw error;
    }
  }

  private *readOperand(): Step<Parsed> {
    const token = this.cursor.peek();
    if (token.kind === 'punct' && token.text === '(') {
      const start = this.cursor.mark().index;
      this.cursor.next();
      const inner: Parsed = yield this.operandOrCall();
      this.cursor.expect(')');
      // ((a)): the inner operand was itself parenthesized.
      if (this.parenthesizedAt.has(start + 1)) this.problems.add('parens', 'The expression has redundant parentheses;');
      const next = this.cursor.peek();
      if (inner.kind === 'path' && next.kind === 'punct' && (next.text === '.' || next.text === '[')) {
        return { kind: 'path', path: parsePath(this.cursor, this.problems, inner.path) };
      }
      this.parenthesizedAt.add(start);
      return inner;
    }
    if (token.kind === 'attrValue') {
      this.cursor.next();
      return { kind: 'value', value: this.problems.value(token.text) };
    }
    if (token.kind === 'name' && this.cursor.peek(1).kind === 'punct' && this.cursor.peek(1).text === '(') {
      return yield this.call();
    }
    if (token.kind === 'name' || token.kind === 'attrName') return { kind: 'path', path: parsePath(this.cursor, this.problems) };
    return this.cursor.fail();
  }

  private *call(): Step<Parsed> {
    const name = this.cursor.next().text;
    this.cursor.expect('(');
    const args: Operand[] = [];
    if (!(this.cursor.peek().kind === 'punct' && this.cursor.peek().text === ')')) {
      args.push(yield this.operand());
      while (this.cursor.accept(',')) args.push(yield this.operand());
    }
    this.cursor.expect(')');
    checkFunction(this.problems, name, args);
    if (name === 'size') {
      const [arg] = args;
      if (arg?.kind === 'path') return { kind: 'size', path: arg.path };
      // The size of a constant is a constant; of anything else it is an error already noted.
      return { kind: 'value', value: (arg?.kind === 'value' ? sizeOf(arg.value) : undefined) ?? { N: '0' } };
    }
    return { kind: 'call', name, args };
  }
}

/**
 * DynamoDB's precedence among the problems a condition can have. Undefined placeholders,
 * operand counts, distinct operands and operand types rank within each comparison or function
 * (in that order), and the first comparison with any of them is the one reported ('condition').
 */
export const CONDITION_ERROR_ORDER = ['parens', 'unknownFunction', 'misusedFunction', 'reserved', 'condition'] as const;
const PER_PART_ORDER = ['attrName', 'operand', 'distinct', 'function'] as const;
