/** UpdateExpression grammar: SET, REMOVE, ADD and DELETE clauses, each at most once. */
import { lookupTable } from '../plainData.js';
import type { AttributeValue } from '../types.js';
import type { Operand, SetValue, UpdateAction, UpdateExpr } from './ast.js';
import type { ProblemSet } from './context.js';
import type { Cursor } from './lexer.js';
import { checkDisjoint, parsePath } from './paths.js';
import { runSteps, type Step } from './steps.js';

const CLAUSES = ['SET', 'REMOVE', 'ADD', 'DELETE'] as const;
type Clause = (typeof CLAUSES)[number];

const LONG_TYPE_NAMES = lookupTable({
  S: 'STRING', N: 'NUMBER', B: 'BINARY', NULL: 'NULL', BOOL: 'BOOLEAN', L: 'LIST', M: 'MAP',
});

function immediateType(value: SetValue): string | undefined {
  return value.kind === 'value' ? Object.keys(value.value)[0] : undefined;
}

export class UpdateParser {
  private readonly seen = new Set<Clause>();

  constructor(private readonly cursor: Cursor, private readonly problems: ProblemSet) {}

  parse(): UpdateExpr {
    return runSteps(this.whole());
  }

  private *whole(): Step<UpdateExpr> {
    const actions: UpdateAction[] = [];
    do {
      const clause = CLAUSES.find((c) => this.cursor.isKeyword(c));
      if (!clause) this.cursor.fail();
      this.cursor.next();
      if (this.seen.has(clause)) this.problems.add('section', `The "${clause}" section can only be used once in an update expression;`);
      this.seen.add(clause);
      do actions.push(yield this.action(clause));
      while (this.cursor.accept(','));
    } while (!this.cursor.atEnd());
    checkDisjoint(actions.map((a) => a.path), this.problems);
    return { actions };
  }

  private *action(clause: Clause): Step<UpdateAction> {
    const path = parsePath(this.cursor, this.problems);
    if (clause === 'REMOVE') return { kind: 'remove', path };
    if (clause === 'SET') {
      this.cursor.expect('=');
      return { kind: 'set', path, value: yield this.setValue() };
    }
    const token = this.cursor.peek();
    if (token.kind !== 'attrValue') this.cursor.fail();
    this.cursor.next();
    const value: AttributeValue = this.problems.value(token.text);
    const type = Object.keys(value)[0];
    if (LONG_TYPE_NAMES[type] && !(clause === 'ADD' && type === 'N')) {
      this.problems.add('operand', `Incorrect operand type for operator or function; operator: ${clause}, operand type: ${LONG_TYPE_NAMES[type]}`);
    }
    return { kind: clause === 'ADD' ? 'add' : 'delete', path, value };
  }

  /**
   * A SET value: one operand, or two joined by + or -. Either may be parenthesized, as may the
   * whole value: ((c[1]) + (b.a)). Inside an operand of + or - only an operand may stand, so
   * (a + b) + c and a + (b + c) are syntax errors.
   */
  private *setValue(): Step<SetValue> {
    const left: SetValue = yield this.term(false);
    if (left.kind === 'plus' || left.kind === 'minus') return left;
    for (const [symbol, kind] of [['+', 'plus'], ['-', 'minus']] as const) {
      if (this.cursor.accept(symbol)) {
        this.cursor.countOperator();
        const right: SetValue = yield this.term(true);
        this.checkTypes(symbol, [left, right], 'N');
        return { kind, left, right };
      }
    }
    return left;
  }

  /** An operand, or a parenthesized SET value (only a parenthesized operand in arithmetic). */
  private *term(inArithmetic: boolean): Step<SetValue> {
    if (this.cursor.peek().kind === 'punct' && this.cursor.peek().text === '(') {
      this.cursor.next();
      const inner: SetValue = yield (inArithmetic ? this.term(true) : this.setValue());
      this.cursor.expect(')');
      return inner;
    }
    return yield this.operand();
  }

  private *operand(): Step<SetValue> {
    const token = this.cursor.peek();
    if (token.kind === 'attrValue') {
      this.cursor.next();
      return { kind: 'value', value: this.problems.value(token.text) };
    }
    if (token.kind === 'name' && this.cursor.peek(1).kind === 'punct' && this.cursor.peek(1).text === '(') return yield this.call();
    return { kind: 'path', path: parsePath(this.cursor, this.problems) } as Operand;
  }

  private *call(): Step<SetValue> {
    const name = this.cursor.next().text;
    this.cursor.expect('(');
    // DynamoDB's quota counts an update's functions with its operators.
    this.cursor.countOperator();
    const args: SetValue[] = [yield this.term(true)];
    while (this.cursor.accept(',')) args.push(yield this.term(true));
    this.cursor.expect(')');
    if (name !== 'if_not_exists' && name !== 'list_append') {
      this.problems.add('unknownFunction', `Invalid function name; function: ${name}`);
      return { kind: 'value', value: { NULL: true } };
    }
    if (args.length !== 2) {
      this.problems.add('function', `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`);
      return { kind: 'value', value: { NULL: true } };
    }
    if (name === 'list_append') {
      this.checkTypes(name, args, 'L');
      return { kind: 'list_append', first: args[0], second: args[1] };
    }
    const target = args[0];
    if (target.kind !== 'path') {
      this.problems.add('function', 'Operator or function requires a document path; operator or function: if_not_exists');
      return { kind: 'value', value: { NULL: true } };
    }
    return { kind: 'if_not_exists', path: target.path, fallback: args[1] };
  }

  private checkTypes(name: string, args: SetValue[], wanted: string): void {
    for (const arg of args) {
      const type = immediateType(arg);
      if (type && type !== wanted) {
        this.problems.add('function', `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`);
        return;
      }
    }
  }
}

export const UPDATE_ERROR_ORDER = ['reserved', 'unknownFunction', 'section', 'attrName', 'attrVal', 'pathOverlap', 'pathConflict', 'operand', 'function'] as const;
