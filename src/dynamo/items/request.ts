/** Request parts shared by the item operations: expression parameter rules, values, capacity. */
import type { AttributeValue, Item } from '../../core/types.js';
import { itemSize, normalizeItem } from '../../core/values.js';
import { evaluateCondition, type ConditionExpr } from '../../core/expr/index.js';
import { ConditionalCheckFailedException, invalid } from '../errors.js';
import { expectedRule, expressionNames, expressionValues, returnConsumedCapacity, returnItemCollectionMetrics, str, tableNameRule, type FieldRule } from '../validation/shape.js';

export interface ExpressionParams {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
  ReturnConsumedCapacity?: 'INDEXES' | 'TOTAL' | 'NONE';
}

/** Members every single-item operation declares. */
export const commonItemShape = (): Record<string, FieldRule> => ({
  TableName: tableNameRule(),
  ExpressionAttributeNames: expressionNames(),
  ExpressionAttributeValues: expressionValues(),
  ReturnConsumedCapacity: returnConsumedCapacity(),
});

/** Members of every conditional single-item write (PutItem, UpdateItem, DeleteItem). */
export const conditionalWriteShape = (): Record<string, FieldRule> => ({
  ...commonItemShape(),
  ConditionExpression: str(),
  Expected: expectedRule(),
  ConditionalOperator: str({ enum: ['OR', 'AND'] }),
  // DynamoDB lists the values of its enumerations in this order.
  ReturnValues: str({ enum: ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'] }),
  ReturnValuesOnConditionCheckFailure: str({ enum: ['ALL_OLD', 'NONE'] }),
  ReturnItemCollectionMetrics: returnItemCollectionMetrics(),
});

/** ConditionalCheckFailedException (with the current item when asked for) unless the condition holds. */
export function checkCondition(condition: ConditionExpr | undefined, current: Item | undefined, onFailure: string | undefined): void {
  if (condition && !evaluateCondition(condition, current)) {
    throw new ConditionalCheckFailedException(undefined, onFailure === 'ALL_OLD' ? current : undefined);
  }
}

/** PutItem and DeleteItem can return only the old item. */
export function checkOldOnlyReturnValues(returnValues: string | undefined): void {
  if (returnValues && returnValues !== 'ALL_OLD' && returnValues !== 'NONE') invalid('ReturnValues can only be ALL_OLD or NONE');
}

/**
 * DynamoDB's rules on mixing expression and legacy parameters, and on placeholders given
 * without any expression to use them.
 */
export function checkExpressionParams(request: Record<string, unknown>, expressions: string[], legacy: string[]): void {
  const used = expressions.filter((name) => request[name] != null);
  if (used.length) {
    const legacyUsed = legacy.filter((name) => request[name] != null
      && !(name === 'KeyConditions' && request.KeyConditionExpression == null));
    if (legacyUsed.length) {
      invalid(`Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${legacyUsed.join(', ')}} Expression parameters: {${used.join(', ')}}`);
    }
  }
  if (request.ExpressionAttributeNames != null && !used.length) {
    invalid('ExpressionAttributeNames can only be specified when using expressions');
  }
  const valueExpressions = expressions.filter((name) => name !== 'ProjectionExpression');
  if (valueExpressions.length && request.ExpressionAttributeValues != null && valueExpressions.every((name) => request[name] == null)) {
    invalid(`ExpressionAttributeValues can only be specified when using expressions: ${valueExpressions.join(' and ')} ${valueExpressions.length > 1 ? 'are' : 'is'} null`);
  }
}

/** Validates and normalizes every attribute value of a map (numbers to canonical form). */
export function normalizeValues<T extends Item | undefined>(values: T): T {
  return (values === undefined ? undefined : normalizeItem(values)) as T;
}

export const MAX_ITEM_BYTES = 400 * 1024;

export function checkItemSize(item: Item, message = 'Item size has exceeded the maximum allowed size'): void {
  if (itemSize(item) > MAX_ITEM_BYTES) invalid(message);
}

/** Capacity units as DynamoDB bills them: writes per 1 KB, reads per 4 KB (halved when eventually consistent). */
export function writeUnits(...items: (Item | undefined)[]): number {
  const bytes = Math.max(0, ...items.map((item) => (item ? itemSize(item) : 0)));
  return Math.max(1, Math.ceil(bytes / 1024));
}

export function readUnits(bytes: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(bytes / 4096));
  return consistent ? units : units / 2;
}

export function consumedCapacity(tableName: string, units: number, mode: string | undefined): Record<string, unknown> {
  if (mode === 'TOTAL') return { ConsumedCapacity: { TableName: tableName, CapacityUnits: units } };
  if (mode === 'INDEXES') return { ConsumedCapacity: { TableName: tableName, CapacityUnits: units, Table: { CapacityUnits: units } } };
  return {};
}
