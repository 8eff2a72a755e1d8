/** Errors raised by pure core code; the API layer maps them to DynamoDB's exceptions by class. */

/** Input that DynamoDB rejects with a ValidationException; the message is DynamoDB's, verbatim. */
export class CoreValidationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input that DynamoDB rejects while deserializing (SerializationException). */
export class CoreSerializationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A value whose members DynamoDB could not take in: a null where a value belongs, a number set
 * that is empty, a set with duplicates. Like a malformed number (NumberFormatError), it is reported in its own words even
 * where other value errors get a prefix (an ExclusiveStartKey's 'The provided starting key is invalid: ').
 */
export class ValueContentError extends CoreValidationError {}

/**
 * A limit on the request as a whole (attribute name size, nesting depth): DynamoDB reports it in
 * its own words wherever the value sits, ExpressionAttributeValues included (no per-key wrapper).
 */
export class RequestLimitError extends CoreValidationError {}
