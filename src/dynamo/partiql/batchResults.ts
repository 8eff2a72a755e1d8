/** The per-statement answers of BatchExecuteStatement: errors as {Code, Message}, capacity summed per table. */
import { toDynamoError } from '../dispatch.js';
import { ConditionalCheckFailedException } from '../errors.js';

/** DynamoDB's BatchStatementError codes, by exception. */
const CODES: Record<string, string> = {
  ValidationException: 'ValidationError',
  ConditionalCheckFailedException: 'ConditionalCheckFailed',
  DuplicateItemException: 'DuplicateItem',
  ResourceNotFoundException: 'ResourceNotFound',
  TransactionConflictException: 'TransactionConflict',
  ProvisionedThroughputExceededException: 'ProvisionedThroughputExceeded',
  ItemCollectionSizeLimitExceededException: 'ItemCollectionSizeLimitExceeded',
  InternalServerError: 'InternalServerError',
};

export function statementError(error: unknown): Record<string, unknown> {
  const dynamoError = toDynamoError(error);
  const item = error instanceof ConditionalCheckFailedException ? dynamoError.extra.Item : undefined;
  return {
    Error: {
      Code: CODES[dynamoError.name] ?? dynamoError.name.replace(/Exception$/, ''),
      Message: dynamoError.message,
      ...(item ? { Item: item } : {}),
    },
  };
}

/** Sums the ConsumedCapacity of each statement's operation into one entry per table. */
export class CapacityTally {
  private readonly units = new Map<string, number>();

  add(consumed: unknown): void {
    const entry = consumed as { TableName?: string; CapacityUnits?: number } | undefined;
    if (!entry?.TableName) return;
    this.units.set(entry.TableName, (this.units.get(entry.TableName) ?? 0) + (entry.CapacityUnits ?? 0));
  }

  render(mode: string | undefined): Record<string, unknown> {
    if (mode !== 'TOTAL' && mode !== 'INDEXES') return {};
    return {
      ConsumedCapacity: [...this.units].map(([TableName, CapacityUnits]) => ({
        TableName, CapacityUnits, ...(mode === 'INDEXES' ? { Table: { CapacityUnits } } : {}),
      })),
    };
  }
}
