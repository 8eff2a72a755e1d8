/** Values of a statement: literals, `?` bound positionally from Parameters, and lists, maps and sets of them. */
import { setOwn } from '../plainData.js';
import type { AttributeValue, Item } from '../types.js';
import { normalizeAttributeValue } from '../values.js';
import type { PqExpr } from './ast.js';
import { MESSAGES, refused } from './errors.js';

export class Constants {
  constructor(private readonly parameters: readonly AttributeValue[]) {}

  /** Fewer Parameters than `?` is refused; more are accepted and ignored, as DynamoDB does. */
  static bind(parameters: readonly AttributeValue[] | undefined, parameterCount: number): Constants {
    const given = parameters ?? [];
    if (given.length < parameterCount) refused(MESSAGES.parameterCount);
    return new Constants(given.slice(0, parameterCount).map((value) => normalizeAttributeValue(value)));
  }

  /** The value an expression stands for, or undefined when it reads the item (a path, a call). */
  valueOf(expr: PqExpr): AttributeValue | undefined {
    switch (expr.kind) {
      case 'literal': return 'N' in expr.value ? normalizeAttributeValue(expr.value) : expr.value;
      case 'param': return this.parameters[expr.index];
      case 'list': {
        const items = expr.items.map((item) => this.valueOf(item));
        return items.every((item) => item !== undefined) ? { L: items as AttributeValue[] } : undefined;
      }
      case 'map': {
        const out: Item = {};
        for (const { key, value } of expr.entries) {
          const resolved = this.valueOf(value);
          if (resolved === undefined) return undefined;
          setOwn(out, key, resolved);
        }
        return { M: out };
      }
      case 'set': return this.setOf(expr.items);
      default: return undefined;
    }
  }

  /** `<<…>>`: a string or number set (a set parameter may also be given whole, as SS, NS or BS). */
  private setOf(items: PqExpr[]): AttributeValue {
    if (!items.length) refused(MESSAGES.emptyBag);
    const values = items.map((item) => this.valueOf(item));
    if (values.every((value) => value && 'S' in value)) return normalizeAttributeValue({ SS: values.map((v) => (v as { S: string }).S) });
    if (values.every((value) => value && 'N' in value)) return normalizeAttributeValue({ NS: values.map((v) => (v as { N: string }).N) });
    return refused(MESSAGES.bagType);
  }
}
