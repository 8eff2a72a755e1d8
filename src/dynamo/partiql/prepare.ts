/** A statement of a request, parsed and bound to its Parameters. */
import { Constants, parseStatement, type Statement } from '../../core/partiql/index.js';
import type { AttributeValue } from '../../core/types.js';
import { attrValue, list, str, type FieldRule } from '../validation/shape.js';

export interface PreparedStatement {
  statement: Statement;
  constants: Constants;
}

export function prepareStatement(text: string, parameters: readonly AttributeValue[] | undefined): PreparedStatement {
  const { statement, parameterCount } = parseStatement(text);
  return { statement, constants: Constants.bind(parameters, parameterCount) };
}

/**
 * Statement and Parameters as every PartiQL operation declares them: `member` for the statements
 * of a batch or transaction, where a missing Statement is a null member, not a missing parameter.
 */
export const statementShape = (member = false): Record<string, FieldRule> => ({
  Statement: str({ ...(member ? { notNull: true } : { required: true }), lengthMin: 1, lengthMax: 8192 }),
  Parameters: list(attrValue(), { lengthMin: 1 }),
});

export const returnValuesOnConditionCheckFailure = (): FieldRule => str({ enum: ['ALL_OLD', 'NONE'] });
