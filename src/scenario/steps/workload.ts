/** The workload step: writes at a fixed rate from several regions, over uniform keys or one hot key. */
import { DynamoCallError, marshalItem } from '../client.js';
import { allRegions, observe, type RunContext } from '../context.js';
import { keyText } from '../recorder.js';
import type { StepArgs } from '../schema.js';

/** At most this many requests in flight, so a stalled region cannot pile up unbounded work. */
const MAX_IN_FLIGHT = 64;

type Operation = 'put' | 'update' | 'delete';

function pickOperation(mix: StepArgs<'workload'>['mix'], random: () => number): Operation {
  const weights: [Operation, number][] = [['put', mix.put ?? 0], ['update', mix.update ?? 0], ['delete', mix.delete ?? 0]];
  const total = weights.reduce((sum, [, w]) => sum + w, 0) || 1;
  let roll = random() * total;
  for (const [op, weight] of weights) {
    roll -= weight;
    if (roll < 0) return op;
  }
  return 'put';
}

function pickKey(args: StepArgs<'workload'>, random: () => number): number {
  if (args.distribution === 'hot' && random() < args.hotKeyShare) return 0;
  return Math.floor(random() * args.keys);
}

export async function workload(ctx: RunContext, args: StepArgs<'workload'>, step: number): Promise<string> {
  const regions = allRegions(ctx, args.regions);
  const [hashName, rangeName] = ctx.keyNames.get(args.table) ?? ['pk'];
  const total = Math.max(1, Math.round((args.durationMs / 1000) * args.ratePerSecond));
  const intervalMs = 1000 / args.ratePerSecond;
  const startedAt = ctx.targets.nowMs();
  const inFlight = new Set<Promise<void>>();
  let acknowledged = 0;
  let failed = 0;
  for (let n = 0; n < total; n += 1) {
    const waitMs = startedAt + n * intervalMs - ctx.targets.nowMs();
    if (waitMs > 0) await ctx.targets.sleep(waitMs);
    if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    // Every random choice is made here, in order, so the same seed plays the same operations.
    const region = regions[n % regions.length];
    const operation = pickOperation(args.mix, ctx.random);
    const keyIndex = pickKey(args, ctx.random);
    const key: Record<string, unknown> = { [hashName]: `key-${keyIndex}`, ...(rangeName ? { [rangeName]: 'item' } : {}) };
    const target = ctx.targets.region(region);
    if (!target.running) {
      failed += 1;
      continue;
    }
    const request = operation === 'put'
      ? { TableName: args.table, Item: marshalItem({ ...key, writer: region, seq: n }) }
      : operation === 'update'
        ? { TableName: args.table, Key: marshalItem(key), UpdateExpression: 'SET writer = :w ADD writes :one', ExpressionAttributeValues: marshalItem({ ':w': region, ':one': 1 }) }
        : { TableName: args.table, Key: marshalItem(key) };
    const sentAtMs = ctx.targets.nowMs();
    const call = target.call({ put: 'PutItem', update: 'UpdateItem', delete: 'DeleteItem' }[operation], request, { timeoutMs: 5000 })
      .then(() => {
        acknowledged += 1;
        observe(ctx, `workload ${operation} #${n} ${keyText(key)} in ${region}: acknowledged`);
        ctx.recorder.writes.push({ table: args.table, key: keyText(key), region, kind: operation, sentAtMs, ackedAtMs: ctx.targets.nowMs(), step });
      }, (error: unknown) => {
        failed += 1;
        observe(ctx, `workload ${operation} #${n} ${keyText(key)} in ${region}: ${error instanceof DynamoCallError ? error.type : (error as Error).name}`);
      })
      .finally(() => inFlight.delete(call));
    inFlight.add(call);
  }
  await Promise.all(inFlight);
  ctx.recorder.mayDiverge(step);
  const seconds = (ctx.targets.nowMs() - startedAt) / 1000;
  return `${acknowledged} writes acknowledged${failed ? `, ${failed} failed` : ''} in ${seconds.toFixed(1)} s from ${regions.join(', ')} over ${args.keys} key(s)${args.distribution === 'hot' ? ` (${Math.round(args.hotKeyShare * 100)}% to key-0)` : ''}`;
}
