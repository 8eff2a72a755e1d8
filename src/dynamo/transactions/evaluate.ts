/**
 * One action of TransactWriteItems checked against the item it names, without writing: its
 * cancellation reason ('None' when it would succeed) and the write it would make. A transaction
 * evaluates all its actions first and writes only when every reason is 'None'.
 */
import { CoreValidationError } from '../../core/errors.js';
import { evaluateCondition } from '../../core/expr/index.js';
import type { Item } from '../../core/types.js';
import type { StoreTxn } from '../../storage/store.js';
import { ValidationException, type CancellationReason } from '../errors.js';
import { readTarget, updatedItem, type PreparedWrite, type WriteTarget } from '../items/prepareWrite.js';
import { checkItemSize } from '../items/request.js';
import type { ResolvedTarget } from './targets.js';
import type { PlannedAction } from './writeActions.js';

export interface ActionOutcome {
  reason: CancellationReason;
  /** The item as it is (for capacity and a replay's bill). */
  current?: Item;
  /** What the action writes; absent for a ConditionCheck (and for a failed action). */
  write?: PreparedWrite;
}

const NONE: CancellationReason = { Code: 'None' };

function conditionFailed(plan: PlannedAction, current: Item | undefined): CancellationReason {
  return {
    Code: 'ConditionalCheckFailed',
    Message: 'The conditional request failed',
    ...(plan.returnOldOnFailure && current ? { Item: current } : {}),
  };
}

const validationError = (message: string): CancellationReason => ({ Code: 'ValidationError', Message: message });

function writeOf(plan: PlannedAction, target: WriteTarget): PreparedWrite | undefined {
  switch (plan.kind) {
    case 'Put': return { target, next: plan.values };
    case 'Delete': return { target, next: null };
    case 'Update': {
      const { next, createsNothing } = updatedItem(target, plan.parsed.update);
      return createsNothing ? undefined : { target, next, update: true };
    }
    default: return undefined;
  }
}

export function evaluateAction(txn: StoreTxn, plan: PlannedAction, resolved: ResolvedTarget): ActionOutcome {
  if ('keyError' in resolved) return { reason: validationError(resolved.keyError) };
  const target = readTarget(txn, resolved.table, resolved.key);
  try {
    if (plan.kind === 'Put') checkItemSize(plan.values);
    if (plan.parsed.condition && !evaluateCondition(plan.parsed.condition, target.current)) {
      return { reason: conditionFailed(plan, target.current), current: target.current };
    }
    return { reason: NONE, current: target.current, write: writeOf(plan, target) };
  } catch (error) {
    // What would fail the single-item operation (an operand of the wrong type, an item grown past
    // 400 KB, a key attribute updated) cancels the transaction instead.
    if (error instanceof ValidationException || error instanceof CoreValidationError) {
      return { reason: validationError(error.message), current: target.current };
    }
    throw error;
  }
}
