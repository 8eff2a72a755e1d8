/** Expression errors carry DynamoDB's message, already prefixed with the expression's kind. */
import { CoreValidationError } from '../errors.js';

export class ExpressionError extends CoreValidationError {}

export type ExpressionKind = 'ConditionExpression' | 'UpdateExpression' | 'ProjectionExpression' | 'KeyConditionExpression' | 'FilterExpression';

/** Thrown while parsing; the caller prefixes it with the expression's kind. */
export class ExpressionProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionProblem';
  }
}
