/** The parsed forms of DynamoDB's expressions, with placeholders already resolved. */
import type { AttributeValue } from '../types.js';

/** Attribute names and list indexes, e.g. ['a', 'b', 0] for a.b[0]. */
export type DocumentPath = (string | number)[];

export type Operand =
  | { kind: 'path'; path: DocumentPath }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'size'; path: DocumentPath };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type BooleanFunction = 'attribute_exists' | 'attribute_not_exists' | 'attribute_type' | 'begins_with' | 'contains';

export type ConditionExpr =
  | { kind: 'compare'; op: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; subject: Operand; low: Operand; high: Operand }
  | { kind: 'in'; subject: Operand; options: Operand[] }
  | { kind: 'and' | 'or'; left: ConditionExpr; right: ConditionExpr }
  | { kind: 'not'; operand: ConditionExpr }
  | { kind: 'function'; name: BooleanFunction; args: Operand[] };

export type SetValue =
  | Operand
  | { kind: 'plus' | 'minus'; left: SetValue; right: SetValue }
  | { kind: 'if_not_exists'; path: DocumentPath; fallback: SetValue }
  | { kind: 'list_append'; first: SetValue; second: SetValue };

export type UpdateAction =
  | { kind: 'set'; path: DocumentPath; value: SetValue }
  | { kind: 'remove'; path: DocumentPath }
  | { kind: 'add' | 'delete'; path: DocumentPath; value: AttributeValue };

export interface UpdateExpr {
  actions: UpdateAction[];
  /** Read from the legacy AttributeUpdates: a type mismatch is worded as DynamoDB words it there. */
  legacy?: boolean;
}

export interface ProjectionExpr {
  paths: DocumentPath[];
}

/** The key condition as written (before it is matched to the table's key schema). */
export type KeyConditionExpr = ConditionExpr;
