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
