/** DynamoDB's errors as classes: each knows its wire type, HTTP status and message. */

const DYNAMODB = 'com.amazonaws.dynamodb.v20120810#';
const CORAL = 'com.amazon.coral.service#';
const CORAL_VALIDATION = 'com.amazon.coral.validate#';

export class DynamoError extends Error {
  readonly typePrefix: string = DYNAMODB;
  /** The body's field for the message: DynamoDB writes `message`, and `Message` for a SerializationException. */
  readonly messageField: string = 'message';
  readonly statusCode: number = 400;
  /** Extra fields rendered into the body (e.g. Item for ReturnValuesOnConditionCheckFailure). */
  extra: Record<string, unknown> = {};

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  get wireType(): string {
    return this.typePrefix + this.name;
  }

  toBody(): Record<string, unknown> {
    // DynamoDB omits the message for some protocol-level errors (bad JSON, unknown operation).
    return { __type: this.wireType, ...(this.message ? { [this.messageField]: this.message } : {}), ...this.extra };
  }
}

export class ValidationException extends DynamoError {
  override readonly typePrefix = CORAL_VALIDATION;
}
export class ConditionalCheckFailedException extends DynamoError {
  constructor(message = 'The conditional request failed', item?: Record<string, unknown>) {
    super(message);
    if (item) this.extra = { Item: item };
  }
}
export class ResourceNotFoundException extends DynamoError {}
export class ResourceInUseException extends DynamoError {}
export class LimitExceededException extends DynamoError {}
export class ItemCollectionSizeLimitExceededException extends DynamoError {}
export class TransactionConflictException extends DynamoError {}
export class IdempotentParameterMismatchException extends DynamoError {}

/** Why one action of a transaction stopped it ('None' for an action that was fine), in request order. */
export interface CancellationReason {
  Code: string;
  Message?: string;
  Item?: Record<string, unknown>;
}

/** A cancelled transaction: DynamoDB writes its message in `Message`, next to one reason per action. */
export class TransactionCanceledException extends DynamoError {
  override readonly messageField = 'Message';

  constructor(readonly reasons: CancellationReason[]) {
    super(`Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`);
    this.extra = { CancellationReasons: reasons };
  }
}
export class ProvisionedThroughputExceededException extends DynamoError {}
export class TrimmedDataAccessException extends DynamoError {}
export class ExpiredIteratorException extends DynamoError {}
export class GlobalTableNotFoundException extends DynamoError {}
export class GlobalTableAlreadyExistsException extends DynamoError {}
export class ReplicaAlreadyExistsException extends DynamoError {}
export class ReplicaNotFoundException extends DynamoError {}
export class TableNotFoundException extends DynamoError {}
export class ContinuousBackupsUnavailableException extends DynamoError {}

export class SerializationException extends DynamoError {
  override readonly typePrefix = CORAL;
  override readonly messageField = 'Message';
}
/** What DynamoDB answers an ARN it cannot even parse as one (its authorization layer refuses before validation). */
export class AccessDeniedException extends DynamoError {
  override readonly typePrefix = CORAL;
  override readonly messageField = 'Message';
}
export class UnknownOperationException extends DynamoError {
  override readonly typePrefix = CORAL;
  constructor() {
    super('');
  }
}
export class MissingAuthenticationTokenException extends DynamoError {
  override readonly typePrefix = CORAL;
  override readonly statusCode = 400;
  constructor() {
    super('Request is missing Authentication Token');
  }
}
export class InvalidSignatureException extends DynamoError {
  override readonly typePrefix = CORAL;

  /** A signature other than the one the named key makes of the request. */
  static mismatch(): InvalidSignatureException {
    return new InvalidSignatureException('The request signature we calculated does not match the signature you provided. '
      + 'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
  }
}
/** A signature made with an access key the region does not know. */
export class UnrecognizedClientException extends DynamoError {
  override readonly typePrefix = CORAL;
  constructor() {
    super('The security token included in the request is invalid.');
  }
}
/** A signature that lacks one of its parts (a parameter of Authorization, or a date). */
export class IncompleteSignatureException extends DynamoError {
  override readonly typePrefix = CORAL;
}
export class InternalServerError extends DynamoError {
  override readonly statusCode = 500;
  constructor(options?: { cause?: unknown }) {
    super('Internal server error', options);
  }
}

/** Shorthand for the most common error, so validation code reads as the rule it enforces. */
export function invalid(message: string): never {
  throw new ValidationException(message);
}
/** A PartiQL INSERT of a key that already holds an item. */
export class DuplicateItemException extends DynamoError {
  constructor() {
    super('Duplicate primary key exists in table');
  }
}
