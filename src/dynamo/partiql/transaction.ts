/**
 * ExecuteTransaction's statements as the TransactWriteItems or TransactGetItems request they
 * amount to: INSERT as a Put, UPDATE as an Update, DELETE as a Delete, EXISTS(SELECT …) as a
 * ConditionCheck, SELECT as a Get by whole key.
 */
import { ExpressionWriter, keyTerms, StatementError, type SelectStatement } from '../../core/partiql/index.js';
import type { AttributeValue } from '../../core/types.js';
import type { RegionContext } from '../context.js';
import { invalid, ValidationException } from '../errors.js';
import type { TransactWriteItem, WriteActionRequest } from '../transactions/writeActions.js';
import { prepareStatement, type PreparedStatement } from './prepare.js';
import { planSelect } from './select.js';
import { tableKeyShape } from './tableKey.js';
import { planWrite } from './writes.js';

export interface ParameterizedStatement {
  Statement: string;
  Parameters?: AttributeValue[];
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}

export type TransactionPlan =
  | { kind: 'read'; items: { Get: Record<string, unknown> }[] }
  | { kind: 'write'; items: TransactWriteItem[]; inserts: Set<number> };

/** Refusals of one statement carry its place in the request, as DynamoDB words them. */
function inStatement<T>(index: number, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof StatementError || error instanceof ValidationException) {
      throw new ValidationException(`Validation failed in TransactStatements[${index}]: ${error.message}`);
    }
    throw error;
  }
}

function planRead(ctx: RegionContext, select: SelectStatement, prepared: PreparedStatement): { Get: Record<string, unknown> } {
  if (select.index !== undefined) invalid('Reads on indices are not supported within transactions.');
  const plan = planSelect(select, tableKeyShape(ctx, select.table), prepared.constants);
  if (plan.operation !== 'GetItem') invalid('Select statements within ExecuteTransaction must specify the primary key in the where clause.');
  return { Get: plan.request };
}

/** EXISTS(SELECT … WHERE <whole key> AND <condition>): a ConditionCheck on that item. */
function planConditionCheck(ctx: RegionContext, select: SelectStatement, prepared: PreparedStatement): WriteActionRequest {
  if (select.index !== undefined) invalid('Operations on indices are not supported in transactions');
  const message = 'EXISTS() must contain a single item read with additional condition';
  const shape = tableKeyShape(ctx, select.table);
  let terms;
  try {
    terms = keyTerms(select.where, shape, prepared.constants, true);
  } catch (error) {
    if (error instanceof StatementError) invalid(message);
    throw error;
  }
  if (!terms.rest.length) invalid(message);
  const writer = new ExpressionWriter(prepared.constants);
  const condition = terms.rest.map((term) => `(${writer.condition(term)})`).join(' AND ');
  return { TableName: select.table, Key: terms.key, ConditionExpression: condition, ...writer.placeholders() };
}

function planWriteItem(ctx: RegionContext, prepared: PreparedStatement, onFailure: ParameterizedStatement['ReturnValuesOnConditionCheckFailure']): TransactWriteItem {
  const { statement } = prepared;
  const failure = onFailure ? { ReturnValuesOnConditionCheckFailure: onFailure } : {};
  if (statement.kind === 'exists') return { ConditionCheck: { ...planConditionCheck(ctx, statement.select, prepared), ...failure } };
  if (statement.kind === 'select') throw new Error('a read among writes is refused before planning');
  if (statement.kind !== 'insert' && statement.returning) invalid('RETURNING is not supported in ExecuteTransaction');
  const plan = planWrite(statement, tableKeyShape(ctx, statement.table), prepared.constants);
  const request = plan.request as unknown as WriteActionRequest;
  if (plan.operation === 'PutItem') return { Put: request };
  return { [plan.operation === 'UpdateItem' ? 'Update' : 'Delete']: { ...request, ...failure } };
}

export function planTransaction(ctx: RegionContext, statements: ParameterizedStatement[]): TransactionPlan {
  const prepared = statements.map((entry, i) => inStatement(i, () => prepareStatement(entry.Statement, entry.Parameters)));
  const reads = prepared.filter((p) => p.statement.kind === 'select').length;
  if (reads && reads < prepared.length) invalid('ExecuteTransaction API does not support both read and write operations in the same request.');
  if (reads) {
    return { kind: 'read', items: prepared.map((p, i) => inStatement(i, () => planRead(ctx, p.statement as SelectStatement, p))) };
  }
  const items = prepared.map((p, i) => inStatement(i, () => planWriteItem(ctx, p, statements[i].ReturnValuesOnConditionCheckFailure)));
  const inserts = new Set(prepared.flatMap((p, i) => (p.statement.kind === 'insert' ? [i] : [])));
  return { kind: 'write', items, inserts };
}
