/**
 * The actions of TransactWriteItems as DynamoDB reads them before it runs any: each holds exactly
 * one of Put, Update, Delete or ConditionCheck, its expressions parse and use every placeholder, and
 * together they stay within 4 MB. Problems here refuse the whole request (ValidationException).
 */
import { parseExpressions, type ParsedExpressions } from '../../core/expr/index.js';
import type { AttributeValue, Item } from '../../core/types.js';
import { itemSize } from '../../core/values.js';
import { invalid } from '../errors.js';
import { checkExpressionParams, normalizeValues } from '../items/request.js';
import { expressionNames, expressionValues, itemMap, str, struct, tableNameRule, type FieldRule } from '../validation/shape.js';

export type WriteKind = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';

export interface WriteActionRequest {
  TableName: string;
  Item?: Item;
  Key?: Item;
  UpdateExpression?: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}

export type TransactWriteItem = Partial<Record<WriteKind, WriteActionRequest>>;

export interface PlannedAction {
  kind: WriteKind;
  tableName: string;
  /** Put: the item (normalized); the others: the Key (normalized). */
  values: Item;
  parsed: ParsedExpressions;
  returnOldOnFailure: boolean;
}

const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;
const KINDS: readonly WriteKind[] = ['ConditionCheck', 'Put', 'Delete', 'Update'];

const actionShape = (structName: string, fields: Record<string, FieldRule>): FieldRule => struct(structName, {
  TableName: tableNameRule(),
  ...fields,
  ConditionExpression: fields.ConditionExpression ?? str(),
  ExpressionAttributeNames: expressionNames(),
  ExpressionAttributeValues: expressionValues(),
  ReturnValuesOnConditionCheckFailure: str({ enum: ['ALL_OLD', 'NONE'] }),
});

/** One element of TransactItems, as the request shape declares it. */
export const transactWriteItemShape = (): FieldRule => struct('TransactWriteItem', {
  ConditionCheck: actionShape('ConditionCheck', { Key: itemMap({ notNull: true }), ConditionExpression: str({ notNull: true }) }),
  Put: actionShape('Put', { Item: itemMap({ notNull: true }) }),
  Delete: actionShape('Delete', { Key: itemMap({ notNull: true }) }),
  Update: actionShape('Update', { Key: itemMap({ notNull: true }), UpdateExpression: str({ notNull: true }) }),
}, { notNull: true });

function planAction(entry: TransactWriteItem): PlannedAction {
  const kinds = KINDS.filter((kind) => entry[kind] != null);
  if (kinds.length !== 1) invalid('TransactItems can only contain one of Check, Put, Update or Delete');
  const kind = kinds[0];
  const request = entry[kind]!;
  const expressions = kind === 'Update' ? ['UpdateExpression', 'ConditionExpression'] : ['ConditionExpression'];
  checkExpressionParams(request as unknown as Record<string, unknown>, expressions, []);
  const values = normalizeValues(kind === 'Put' ? request.Item! : request.Key!);
  return {
    kind,
    tableName: request.TableName,
    values,
    parsed: parseExpressions(request),
    returnOldOnFailure: request.ReturnValuesOnConditionCheckFailure === 'ALL_OLD',
  };
}

/** Every action checked in request order (the first problem is the one reported), then their total size. */
export function planActions(items: TransactWriteItem[]): PlannedAction[] {
  const plans = items.map(planAction);
  const bytes = plans.reduce((sum, plan) => sum + itemSize(plan.values), 0);
  if (bytes > MAX_TRANSACTION_BYTES) {
    invalid('Collection size of items exceeded, which can also be caused by the aggregate size of the items in the transaction exceeding the 4MB limit');
  }
  return plans;
}
