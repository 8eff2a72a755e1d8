/** ExecuteStatement: one PartiQL statement, run as the read or write it amounts to. */
import type { AttributeValue, Item } from '../../core/types.js';
import { invalid } from '../errors.js';
import { decodeNextToken, encodeNextToken } from '../partiql/nextToken.js';
import { prepareStatement, returnValuesOnConditionCheckFailure, statementShape } from '../partiql/prepare.js';
import { runSelect } from '../partiql/select.js';
import { runWrite } from '../partiql/writes.js';
import { bool, int, returnConsumedCapacity, str } from '../validation/shape.js';
import { defineOperation } from './operation.js';

interface ExecuteStatementRequest {
  Statement: string;
  Parameters?: AttributeValue[];
  ConsistentRead?: boolean;
  NextToken?: string;
  Limit?: number;
  ReturnConsumedCapacity?: string;
  ReturnValuesOnConditionCheckFailure?: string;
}

export const executeStatement = defineOperation<ExecuteStatementRequest, unknown>({
  name: 'ExecuteStatement',
  shape: {
    ...statementShape(),
    ConsistentRead: bool(),
    NextToken: str({ lengthMin: 1, lengthMax: 32768 }),
    Limit: int({ min: 1 }),
    ReturnConsumedCapacity: returnConsumedCapacity(),
    ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure(),
  },
  async run(ctx, request, options) {
    const { statement, constants } = prepareStatement(request.Statement, request.Parameters);
    const capacity = (consumed: unknown): Record<string, unknown> => (consumed ? { ConsumedCapacity: consumed } : {});
    if (statement.kind === 'exists') invalid('EXISTS can only be used in ExecuteTransaction write requests.');
    if (statement.kind === 'select') {
      const start = request.NextToken === undefined ? undefined : decodeNextToken(request.NextToken, request.Statement, request.Parameters);
      const result = await runSelect(ctx, statement, constants, {
        consistentRead: request.ConsistentRead, limit: request.Limit, exclusiveStartKey: start, returnConsumedCapacity: request.ReturnConsumedCapacity,
      });
      const last: Item | undefined = result.lastEvaluatedKey;
      return {
        Items: result.items,
        ...(last ? { NextToken: encodeNextToken(request.Statement, request.Parameters, last), LastEvaluatedKey: last } : {}),
        ...capacity(result.consumedCapacity),
      };
    }
    const result = await runWrite(ctx, statement, constants, {
      returnConsumedCapacity: request.ReturnConsumedCapacity,
      returnValuesOnConditionCheckFailure: request.ReturnValuesOnConditionCheckFailure,
    }, options);
    return { Items: result.items, ...capacity(result.consumedCapacity) };
  },
});
