/** Expression errors carry DynamoDB's message, already prefixed with the expression's kind. */
import { CoreValidationError } from '../errors.js';

export class ExpressionError extends CoreValidationError {}

/** An operand of an update whose type does not suit its operation (found while applying it). */
export class UpdateOperandTypeError extends ExpressionError {}

export type ExpressionKind = 'ConditionExpression' | 'UpdateExpression' | 'ProjectionExpression' | 'KeyConditionExpression' | 'FilterExpression';

/** Thrown while parsing; the caller prefixes it with the expression's kind. */
export class ExpressionProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionProblem';
  }
}

/**
 * DynamoDB counts the operators of an expression as it reads it and stops at the 301st; this is
 * final, not a syntax error that another reading of the same tokens could avoid.
 */
export class TooManyOperators extends ExpressionProblem {
  constructor(count: number) {
    super(`The expression contains too many operators; operator count: ${count}`);
    this.name = 'TooManyOperators';
  }
}
