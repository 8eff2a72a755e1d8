/**
 * ExecuteTransaction: up to 100 PartiQL statements, all reads or all writes, run as one
 * TransactGetItems or TransactWriteItems (same atomicity, cancellation reasons and
 * ClientRequestToken idempotency).
 */
import { TransactionCanceledException, type CancellationReason } from '../errors.js';
import { planTransaction, type ParameterizedStatement } from '../partiql/transaction.js';
import { returnValuesOnConditionCheckFailure, statementShape } from '../partiql/prepare.js';
import { list, returnConsumedCapacity, str, struct } from '../validation/shape.js';
import { defineOperation } from './operation.js';
import { transactGetItems } from './transactGetItems.js';
import { MAX_TRANSACT_ITEMS, transactWriteItems } from './transactWriteItems.js';

interface ExecuteTransactionRequest {
  TransactStatements: ParameterizedStatement[];
  ClientRequestToken?: string;
  ReturnConsumedCapacity?: string;
}

/** An INSERT stopped by an existing item is a DuplicateItem, not a failed condition. */
function insertReasons(error: TransactionCanceledException, inserts: Set<number>): TransactionCanceledException {
  if (![...inserts].some((i) => error.reasons[i]?.Code === 'ConditionalCheckFailed')) return error;
  const reasons: CancellationReason[] = error.reasons.map((reason, i) => (inserts.has(i) && reason.Code === 'ConditionalCheckFailed'
    ? { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' }
    : reason));
  return new TransactionCanceledException(reasons);
}

export const executeTransaction = defineOperation<ExecuteTransactionRequest, unknown>({
  name: 'ExecuteTransaction',
  shape: {
    TransactStatements: list(struct('ParameterizedStatement', {
      ...statementShape(true),
      ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure(),
    }, { notNull: true }), { required: true, lengthMin: 1, lengthMax: MAX_TRANSACT_ITEMS }),
    ClientRequestToken: str({ lengthMin: 1, lengthMax: 36 }),
    ReturnConsumedCapacity: returnConsumedCapacity(),
  },
  async run(ctx, request, options) {
    const plan = planTransaction(ctx, request.TransactStatements);
    const capacity = request.ReturnConsumedCapacity ? { ReturnConsumedCapacity: request.ReturnConsumedCapacity } : {};
    if (plan.kind === 'read') {
      return transactGetItems.run(ctx, { TransactItems: plan.items, ...capacity } as never, options);
    }
    try {
      const response = await transactWriteItems.run(ctx, {
        TransactItems: plan.items,
        ...(request.ClientRequestToken !== undefined ? { ClientRequestToken: request.ClientRequestToken } : {}),
        ...capacity,
      } as never, options) as Record<string, unknown>;
      return { Responses: [], ...response };
    } catch (error) {
      if (error instanceof TransactionCanceledException) throw insertReasons(error, plan.inserts);
      throw error;
    }
  },
});
