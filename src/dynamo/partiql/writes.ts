/**
 * PartiQL INSERT, UPDATE and DELETE as PutItem, UpdateItem and DeleteItem requests, run through
 * those operations: INSERT only where no item is, UPDATE only on an existing item, DELETE of an
 * absent item a no-op, the WHERE's other terms as the condition.
 */
import {
  Constants, ExpressionWriter, keyTerms, type PqExpr, type Statement,
} from '../../core/partiql/index.js';
import { refused } from '../../core/partiql/errors.js';
import type { Item, KeyShape } from '../../core/types.js';
import type { RegionContext } from '../context.js';
import { ConditionalCheckFailedException, DuplicateItemException } from '../errors.js';
import type { OperationOptions } from '../forcedTimestamp.js';
import { deleteItem } from '../ops/deleteItem.js';
import { putItem } from '../ops/putItem.js';
import { updateItem } from '../ops/updateItem.js';
import { tableKeyShape } from './tableKey.js';

export type WriteStatement = Extract<Statement, { kind: 'insert' | 'update' | 'delete' }>;

export interface WritePlan {
  operation: 'PutItem' | 'UpdateItem' | 'DeleteItem';
  request: Record<string, unknown>;
}

export interface WriteResult {
  items: Item[];
  consumedCapacity?: unknown;
}

const joined = (parts: string[]): string => parts.map((part) => `(${part})`).join(' AND ');

function conditionTerms(writer: ExpressionWriter, rest: PqExpr[]): string[] {
  return rest.map((term) => writer.condition(term));
}

/** The item operation's request for a write statement (ReturnValues from RETURNING). */
export function planWrite(statement: WriteStatement, shape: KeyShape, constants: Constants): WritePlan {
  const writer = new ExpressionWriter(constants);
  const hashName = (): string => writer.name(shape.hash.name);
  if (statement.kind === 'insert') {
    const item = constants.valueOf(statement.item);
    if (!item || !('M' in item)) {
      refused('Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.');
    }
    const condition = `attribute_not_exists(${hashName()})`;
    return { operation: 'PutItem', request: { TableName: statement.table, Item: item.M, ConditionExpression: condition, ...writer.placeholders() } };
  }
  const { key, rest } = keyTerms(statement.where, shape, constants, true);
  if (statement.kind === 'update') {
    const update = writer.update(statement.clauses);
    const condition = joined([`attribute_exists(${hashName()})`, ...conditionTerms(writer, rest)]);
    return {
      operation: 'UpdateItem',
      request: {
        TableName: statement.table, Key: key, UpdateExpression: update, ConditionExpression: condition, ...writer.placeholders(),
        ...(statement.returning ? { ReturnValues: statement.returning } : {}),
      },
    };
  }
  // An absent item is deleted without a word; only an existing one must meet the other terms
  // (AND binds tighter than OR, and DynamoDB refuses redundant parentheses).
  const condition = rest.length ? `attribute_not_exists(${hashName()}) OR ${joined(conditionTerms(writer, rest))}` : undefined;
  return {
    operation: 'DeleteItem',
    request: {
      TableName: statement.table, Key: key, ...(condition ? { ConditionExpression: condition } : {}), ...writer.placeholders(),
      ...(statement.returning ? { ReturnValues: 'ALL_OLD' } : {}),
    },
  };
}

export interface WriteOptions {
  returnConsumedCapacity?: string;
  returnValuesOnConditionCheckFailure?: string;
}

/** Runs a write statement through its item operation; an INSERT over an item is a DuplicateItemException. */
export async function runWrite(
  ctx: RegionContext, statement: WriteStatement, constants: Constants, options: WriteOptions, operationOptions: OperationOptions,
): Promise<WriteResult> {
  const plan = planWrite(statement, tableKeyShape(ctx, statement.table), constants);
  const request = {
    ...plan.request,
    ...(options.returnConsumedCapacity ? { ReturnConsumedCapacity: options.returnConsumedCapacity } : {}),
    ...(options.returnValuesOnConditionCheckFailure && plan.operation !== 'PutItem'
      ? { ReturnValuesOnConditionCheckFailure: options.returnValuesOnConditionCheckFailure } : {}),
  };
  const op = plan.operation === 'PutItem' ? putItem : plan.operation === 'UpdateItem' ? updateItem : deleteItem;
  let response: { Attributes?: Item; ConsumedCapacity?: unknown };
  try {
    response = await op.run(ctx, request as never, operationOptions) as typeof response;
  } catch (error) {
    if (plan.operation === 'PutItem' && error instanceof ConditionalCheckFailedException) throw new DuplicateItemException();
    throw error;
  }
  return { items: response.Attributes ? [response.Attributes] : [], consumedCapacity: response.ConsumedCapacity };
}
