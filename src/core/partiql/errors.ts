/** PartiQL statement errors: DynamoDB answers them as ValidationException with its own words. */
import { CoreValidationError } from '../errors.js';

export class StatementError extends CoreValidationError {}

const NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: ";

/** A statement the grammar cannot read; `detail` is DynamoDB's reason (empty for an unreadable token). */
export function malformed(detail: string): never {
  throw new StatementError(NOT_WELL_FORMED + detail);
}

/** A statement that parses but asks for something DynamoDB refuses. */
export function refused(message: string): never {
  throw new StatementError(message);
}

/** DynamoDB's messages that more than one module raises. */
export const MESSAGES = {
  leftover: 'Unexpected token after expression',
  unexpectedTerm: 'Unexpected term',
  missingRight: 'Missing right-hand side expression of infix operator',
  parameterCount: "Number of parameters in request and statement don't match.",
  incompleteKey: 'Where clause does not contain a mandatory equality on all key attributes',
  emptyBag: 'Empty bags are not supported',
  bagType: 'Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags',
} as const;
