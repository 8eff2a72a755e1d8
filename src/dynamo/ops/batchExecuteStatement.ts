/**
 * BatchExecuteStatement: up to 25 statements, all reads (each one item by its whole key) or all
 * writes, each answered in order with its result or its own Error; not a transaction.
 */
import type { Statement } from '../../core/partiql/index.js';
import type { AttributeValue } from '../../core/types.js';
import { invalid } from '../errors.js';
import { CapacityTally, statementError } from '../partiql/batchResults.js';
import { prepareStatement, returnValuesOnConditionCheckFailure, statementShape, type PreparedStatement } from '../partiql/prepare.js';
import { planSelect, runSelect } from '../partiql/select.js';
import { tableKeyShape } from '../partiql/tableKey.js';
import { runWrite } from '../partiql/writes.js';
import { bool, list, returnConsumedCapacity, struct } from '../validation/shape.js';
import { defineOperation } from './operation.js';

interface BatchStatementRequest {
  Statement: string;
  Parameters?: AttributeValue[];
  ConsistentRead?: boolean;
  ReturnValuesOnConditionCheckFailure?: string;
}

interface BatchExecuteStatementRequest {
  Statements: BatchStatementRequest[];
  ReturnConsumedCapacity?: string;
}

type Prepared = { ok: PreparedStatement } | { error: unknown };

function prepare(request: BatchStatementRequest): Prepared {
  try {
    const prepared = prepareStatement(request.Statement, request.Parameters);
    if (prepared.statement.kind === 'exists') invalid('EXISTS can only be used in ExecuteTransaction write requests.');
    return { ok: prepared };
  } catch (error) {
    return { error };
  }
}

/** A batch holds reads or writes, decided by its first readable statement. */
function checkOneKind(prepared: Prepared[]): void {
  const kinds = prepared.flatMap((p) => ('ok' in p ? [p.ok.statement.kind === 'select'] : []));
  if (kinds.some((read) => read !== kinds[0])) invalid('Read and write requests together in the same batch is not supported.');
}

export const batchExecuteStatement = defineOperation<BatchExecuteStatementRequest, unknown>({
  name: 'BatchExecuteStatement',
  shape: {
    Statements: list(struct('BatchStatementRequest', {
      ...statementShape(true),
      ConsistentRead: bool(),
      ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure(),
    }, { notNull: true }), { required: true, lengthMin: 1, lengthMax: 25 }),
    ReturnConsumedCapacity: returnConsumedCapacity(),
  },
  async run(ctx, request, options) {
    const prepared = request.Statements.map(prepare);
    checkOneKind(prepared);
    const tally = new CapacityTally();
    const mode = request.ReturnConsumedCapacity;
    const responses: Record<string, unknown>[] = [];
    for (const [index, entry] of prepared.entries()) {
      if ('error' in entry) { responses.push(statementError(entry.error)); continue; }
      const { constants } = entry.ok;
      // prepare() answered EXISTS with an error.
      const statement = entry.ok.statement as Exclude<Statement, { kind: 'exists' }>;
      const member = request.Statements[index];
      try {
        const result = statement.kind === 'select'
          ? await runBatchRead(ctx, statement, constants, member, mode)
          : await runWrite(ctx, statement, constants, {
            returnConsumedCapacity: mode, returnValuesOnConditionCheckFailure: member.ReturnValuesOnConditionCheckFailure,
          }, options);
        tally.add(result.consumedCapacity);
        responses.push({ TableName: statement.table, ...(statement.kind === 'select' && result.items[0] ? { Item: result.items[0] } : {}) });
      } catch (error) {
        responses.push(statementError(error));
      }
    }
    return { Responses: responses, ...tally.render(mode) };
  },
});

/** A read in a batch is one item by its whole key, nothing more. */
async function runBatchRead(
  ctx: Parameters<typeof runSelect>[0], statement: Extract<Statement, { kind: 'select' }>, constants: PreparedStatement['constants'],
  member: BatchStatementRequest, mode: string | undefined,
): ReturnType<typeof runSelect> {
  if (planSelect(statement, tableKeyShape(ctx, statement.table), constants).operation !== 'GetItem') {
    invalid('Select statements within BatchExecuteStatement must specify the primary key in the where clause.');
  }
  return runSelect(ctx, statement, constants, { consistentRead: member.ConsistentRead, returnConsumedCapacity: mode });
}
