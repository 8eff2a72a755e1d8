/**
 * Writes PartiQL conditions and updates as DynamoDB expressions, every name and value behind a
 * generated placeholder, so the item operations parse and evaluate them with their own code.
 */
import type { DocumentPath } from '../expr/ast.js';
import type { AttributeValue } from '../types.js';
import type { PqExpr, UpdateClause } from './ast.js';
import type { Constants } from './constants.js';
import { refused } from './errors.js';

const CONDITION_FUNCTIONS = new Set(['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains']);
const ONE_PATH_FUNCTIONS = new Set(['attribute_exists', 'attribute_not_exists']);

export interface WrittenExpressions {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}

export class ExpressionWriter {
  private readonly names = new Map<string, string>();
  private readonly values: [string, AttributeValue][] = [];

  constructor(private readonly constants: Constants) {}

  /** The placeholder maps of every expression written so far (absent when empty, as DynamoDB requires). */
  placeholders(): WrittenExpressions {
    return {
      ...(this.names.size ? { ExpressionAttributeNames: Object.fromEntries([...this.names].map(([name, key]) => [key, name])) } : {}),
      ...(this.values.length ? { ExpressionAttributeValues: Object.fromEntries(this.values) } : {}),
    };
  }

  name(name: string): string {
    let key = this.names.get(name);
    if (!key) {
      key = `#n${this.names.size}`;
      this.names.set(name, key);
    }
    return key;
  }

  value(value: AttributeValue): string {
    const key = `:v${this.values.length}`;
    this.values.push([key, value]);
    return key;
  }

  path(path: DocumentPath): string {
    return path.map((step, i) => (typeof step === 'number' ? `[${step}]` : `${i ? '.' : ''}${this.name(step)}`)).join('');
  }

  /** A comparison operand: a path, a value, or size(path). */
  operand(expr: PqExpr): string {
    if (expr.kind === 'path') return this.path(expr.path);
    if (expr.kind === 'missing') refused('MISSING must be compared using IS operator');
    if (expr.kind === 'call' && expr.name === 'size') {
      if (expr.args.length !== 1 || expr.args[0].kind !== 'path') {
        refused(`Incorrect number of operands for operator or function; operator or function: size, number of operands: ${expr.args.length}`);
      }
      return `size(${this.path(expr.args[0].path)})`;
    }
    if (expr.kind === 'call') refused(`Unrecognized function: ${expr.name} at ${expr.at}`);
    const value = this.constants.valueOf(expr);
    if (value === undefined) refused('Unsupported operation: the operand must be a path or a value');
    return this.value(value);
  }

  condition(expr: PqExpr): string {
    switch (expr.kind) {
      case 'and': case 'or': return `(${this.condition(expr.left)}) ${expr.kind.toUpperCase()} (${this.condition(expr.right)})`;
      case 'not': return `NOT (${this.condition(expr.operand)})`;
      case 'compare': return `${this.operand(expr.left)} ${expr.op} ${this.operand(expr.right)}`;
      case 'between': return `${this.operand(expr.subject)} BETWEEN ${this.operand(expr.low)} AND ${this.operand(expr.high)}`;
      case 'in':
        if (!expr.options.length || expr.subject.kind !== 'path') {
          refused('IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member');
        }
        return `${this.operand(expr.subject)} IN (${expr.options.map((option) => this.operand(option)).join(', ')})`;
      case 'is': return this.isCheck(expr.subject, expr.type, expr.negated);
      case 'call': return this.call(expr);
      default: return refused('WHERE clause must contain an expression that resolves to a boolean');
    }
  }

  private isCheck(subject: PqExpr, type: 'MISSING' | 'NULL', negated: boolean): string {
    if (subject.kind !== 'path') refused('The left hand side argument to IS must be a Variable Reference, Literal, or Path');
    const path = this.path(subject.path);
    if (type === 'MISSING') return negated ? `attribute_exists(${path})` : `attribute_not_exists(${path})`;
    const check = `attribute_type(${path}, ${this.value({ S: 'NULL' })})`;
    return negated ? `NOT ${check}` : check;
  }

  private call(expr: Extract<PqExpr, { kind: 'call' }>): string {
    if (!CONDITION_FUNCTIONS.has(expr.name)) refused(`Unrecognized function: ${expr.name} at ${expr.at}`);
    const arity = ONE_PATH_FUNCTIONS.has(expr.name) ? 1 : 2;
    if (expr.args.length !== arity) {
      refused(`Incorrect number of operands for operator or function; operator or function: ${expr.name}, number of operands: ${expr.args.length}`);
    }
    if (expr.args[0].kind !== 'path') refused(`Operator or function requires a document path; operator or function: ${expr.name}`);
    return `${expr.name}(${expr.args.map((arg) => this.operand(arg)).join(', ')})`;
  }

  /** An UpdateExpression: SET and REMOVE clauses, with set_add and set_delete as ADD and DELETE. */
  update(clauses: UpdateClause[]): string {
    const sections: Record<'SET' | 'REMOVE' | 'ADD' | 'DELETE', string[]> = { SET: [], REMOVE: [], ADD: [], DELETE: [] };
    for (const clause of clauses) {
      const path = this.path(clause.path);
      if (clause.kind === 'remove') { sections.REMOVE.push(path); continue; }
      const value = clause.value;
      if (value.kind === 'call' && (value.name === 'set_add' || value.name === 'set_delete')) {
        const action = value.name === 'set_add' ? 'ADD' : 'DELETE';
        sections[action].push(`${path} ${this.setOperand(clause.path, value, action)}`);
      } else sections.SET.push(`${path} = ${this.setValue(value)}`);
    }
    return Object.entries(sections).filter(([, parts]) => parts.length).map(([action, parts]) => `${action} ${parts.join(', ')}`).join(' ');
  }

  private setOperand(target: DocumentPath, call: Extract<PqExpr, { kind: 'call' }>, action: 'ADD' | 'DELETE'): string {
    if (call.args.length !== 2) refused(`SET_${action} must have exactly two arguments at ${call.at}`);
    const [first, second] = call.args;
    if (first.kind !== 'path' || first.path.length !== target.length || first.path.some((step, i) => step !== target[i])) {
      refused(`The first argument to SET_${action} must equal the assignment value at ${call.at}`);
    }
    const value = second.kind === 'set' || second.kind === 'param' ? this.constants.valueOf(second) : undefined;
    if (!value || !('SS' in value || 'NS' in value || 'BS' in value)) {
      refused(`The second argument to SET_${action} must be a value with type SET at ${call.at}`);
    }
    return this.value(value);
  }

  private setValue(expr: PqExpr): string {
    switch (expr.kind) {
      case 'plus': case 'minus':
        return `${this.setValue(expr.left)} ${expr.kind === 'plus' ? '+' : '-'} ${this.setValue(expr.right)}`;
      case 'call':
        if (expr.name === 'list_append' || expr.name === 'if_not_exists') {
          if (expr.args.length !== 2) {
            refused(`Incorrect number of operands for operator or function; operator or function: ${expr.name}, number of operands: ${expr.args.length}`);
          }
          return `${expr.name}(${expr.args.map((arg) => this.setValue(arg)).join(', ')})`;
        }
        return refused(`Unrecognized function: ${expr.name} at ${expr.at}`);
      case 'is': return refused('IS operator is not supported in update expressions');
      default: return this.operand(expr);
    }
  }
}
