/** The parsed form of a PartiQL statement; `?` parameters are numbered in order of appearance. */
import type { DocumentPath } from '../expr/ast.js';
import type { AttributeValue } from '../types.js';

export type Comparison = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type PqExpr =
  | { kind: 'path'; path: DocumentPath }
  | { kind: 'literal'; value: AttributeValue }
  | { kind: 'missing' }
  | { kind: 'param'; index: number }
  | { kind: 'list'; items: PqExpr[] }
  | { kind: 'map'; entries: { key: string; value: PqExpr }[] }
  | { kind: 'set'; items: PqExpr[] }
  /** `name` in lower case; `at` is its place in the statement, for messages. */
  | { kind: 'call'; name: string; args: PqExpr[]; at: string }
  | { kind: 'compare'; op: Comparison; left: PqExpr; right: PqExpr }
  | { kind: 'and' | 'or'; left: PqExpr; right: PqExpr }
  | { kind: 'not'; operand: PqExpr }
  | { kind: 'in'; subject: PqExpr; options: PqExpr[] }
  | { kind: 'between'; subject: PqExpr; low: PqExpr; high: PqExpr }
  | { kind: 'is'; subject: PqExpr; type: 'MISSING' | 'NULL'; negated: boolean }
  | { kind: 'plus' | 'minus'; left: PqExpr; right: PqExpr };

export interface OrderBy {
  attribute: string;
  descending: boolean;
}

export interface SelectStatement {
  kind: 'select';
  table: string;
  index?: string;
  /** Undefined for `*`. */
  projection?: DocumentPath[];
  where?: PqExpr;
  orderBy: OrderBy[];
}

export interface InsertStatement {
  kind: 'insert';
  table: string;
  item: PqExpr;
}

export type UpdateClause =
  | { kind: 'set'; path: DocumentPath; value: PqExpr }
  | { kind: 'remove'; path: DocumentPath };

export type ReturnValues = 'ALL_OLD' | 'ALL_NEW' | 'UPDATED_OLD' | 'UPDATED_NEW';

export interface UpdateStatement {
  kind: 'update';
  table: string;
  clauses: UpdateClause[];
  where: PqExpr;
  returning?: ReturnValues;
}

export interface DeleteStatement {
  kind: 'delete';
  table: string;
  where: PqExpr;
  returning?: 'ALL_OLD';
}

/** `EXISTS(SELECT …)`: a condition check, allowed only in a transaction of writes. */
export interface ExistsStatement {
  kind: 'exists';
  select: SelectStatement;
}

export type Statement = SelectStatement | InsertStatement | UpdateStatement | DeleteStatement | ExistsStatement;

export interface ParsedStatement {
  statement: Statement;
  /** How many `?` the statement holds. */
  parameterCount: number;
}
