/**
 * TransactWriteItems: up to 100 Puts, Updates, Deletes and ConditionChecks, all or nothing. Every
 * action is checked first and written only when none failed, inside ONE store transaction, so no
 * other write comes between the checks and the writes. Each item changes through commitItemChange
 * with its own version and change record: the transaction reaches other regions as separate item
 * changes, in order, and is atomic only in the region where it was made.
 */
import type { StoreTxn } from '../../storage/store.js';
import type { RegionContext } from '../context.js';
import { TransactionCanceledException } from '../errors.js';
import { commitPrepared } from '../items/prepareWrite.js';
import { addUnits, capacityResponse, transactionalReadUnits, transactionalWriteUnits } from '../transactions/capacity.js';
import {
  fingerprintOf, forgetTransaction, rememberedTransaction, rememberTransaction, TOKEN_LIFETIME_MS, type RememberedTransaction,
} from '../transactions/clientTokens.js';
import { evaluateAction } from '../transactions/evaluate.js';
import { resolveTargets } from '../transactions/targets.js';
import { planActions, transactWriteItemShape, type PlannedAction, type TransactWriteItem } from '../transactions/writeActions.js';
import { list, returnConsumedCapacity, returnItemCollectionMetrics, str } from '../validation/shape.js';
import { collectionMetricsOf, metricsPerTable, type ItemCollectionMetrics } from '../indexes/collections.js';
import { defineOperation } from './operation.js';

interface TransactWriteItemsRequest {
  TransactItems: TransactWriteItem[];
  ClientRequestToken?: string;
  ReturnConsumedCapacity?: string;
  ReturnItemCollectionMetrics?: string;
}

export const MAX_TRANSACT_ITEMS = 100;

interface Committed {
  /** Write units per table; absent for a replay of a token's transaction. */
  units?: Map<string, number>;
  /** Per table, what reading the items again costs. */
  replayUnits: Map<string, number>;
  /** ItemCollectionMetrics per table, when asked for and a written table has a local index. */
  metrics?: Record<string, ItemCollectionMetrics[]>;
}

/** Checks every action, then writes them all, or throws TransactionCanceledException having written nothing. */
function runActions(ctx: RegionContext, txn: StoreTxn, plans: PlannedAction[], timestampMs: number | undefined, metricsMode: string | undefined): Committed {
  const targets = resolveTargets(ctx, txn, plans.map((plan) => ({ tableName: plan.tableName, values: plan.values, isWholeItem: plan.kind === 'Put' })));
  const outcomes = plans.map((plan, i) => evaluateAction(txn, plan, targets[i]));
  if (outcomes.some((outcome) => outcome.reason.Code !== 'None')) {
    throw new TransactionCanceledException(outcomes.map((outcome) => outcome.reason));
  }
  const units = new Map<string, number>();
  const replayUnits = new Map<string, number>();
  const metrics: { tableName: string; metrics: ItemCollectionMetrics | undefined }[] = [];
  outcomes.forEach((outcome, i) => {
    const next = outcome.write?.next ?? undefined;
    if (outcome.write) commitPrepared(ctx, txn, outcome.write, timestampMs, true);
    addUnits(units, plans[i].tableName, transactionalWriteUnits(outcome.current, next));
    addUnits(replayUnits, plans[i].tableName, Math.max(transactionalReadUnits(outcome.current), transactionalReadUnits(next)));
  });
  // Read after every write, so two writes to one collection both report its final size.
  outcomes.forEach((outcome, i) => {
    const target = outcome.write?.target;
    if (target) metrics.push({ tableName: plans[i].tableName, metrics: collectionMetricsOf(txn, target.table, target.key.keys, metricsMode) });
  });
  return { units, replayUnits, metrics: metricsPerTable(metrics) };
}

export const transactWriteItems = defineOperation<TransactWriteItemsRequest, unknown>({
  name: 'TransactWriteItems',
  shape: {
    TransactItems: list(transactWriteItemShape(), { notNull: true, lengthMin: 1, lengthMax: MAX_TRANSACT_ITEMS }),
    ClientRequestToken: str({ lengthMin: 1, lengthMax: 36 }),
    ReturnConsumedCapacity: returnConsumedCapacity(),
    ReturnItemCollectionMetrics: returnItemCollectionMetrics(),
  },
  async run(ctx, request, options) {
    const plans = planActions(request.TransactItems);
    const token = request.ClientRequestToken;
    const fingerprint = token === undefined ? '' : fingerprintOf(request.TransactItems);
    let mine: RememberedTransaction | undefined;
    const committed = await ctx.store.write((txn): Committed => {
      const nowMs = ctx.clock.trueNowMs();
      if (token !== undefined) {
        const remembered = rememberedTransaction(ctx.store, token, fingerprint, nowMs);
        if (remembered) return { replayUnits: remembered.replayUnits };
      }
      const result = runActions(ctx, txn, plans, options.timestampMs, request.ReturnItemCollectionMetrics);
      if (token === undefined) return result;
      // Remembered before the commit, so a retry in the same commit group is a replay too.
      mine = { fingerprint, expiresAtMs: nowMs + TOKEN_LIFETIME_MS, replayUnits: result.replayUnits };
      rememberTransaction(ctx.store, token, mine);
      return result;
    }).catch((error: unknown) => {
      // The commit group failed as a whole: this transaction was not made after all.
      if (token !== undefined && mine) forgetTransaction(ctx.store, token, mine);
      throw error;
    });
    // A replay reports what reading the items costs, as DynamoDB does for a repeated token.
    const units = committed.units ?? committed.replayUnits;
    return {
      ...capacityResponse(units, request.ReturnConsumedCapacity),
      ...(committed.metrics ? { ItemCollectionMetrics: committed.metrics } : {}),
    };
  },
});
