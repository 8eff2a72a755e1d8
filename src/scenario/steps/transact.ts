/**
 * The transact step: TransactWriteItems in one region, each written item recorded as an
 * acknowledged write; then, when asked, another region watched until it holds the whole
 * transaction. A transaction is atomic only where it was made: its items reach other regions as
 * separate changes, so a snapshot there can hold some of them without the others.
 */
import { DynamoCallError, marshalItem, unmarshalItem } from '../client.js';
import { canonical, observe, regionOf, ScenarioStepError, type RunContext } from '../context.js';
import { keyText, type TransactionSighting } from '../recorder.js';
import type { StepArgs } from '../schema.js';
import { writeRequest } from './data.js';

type TransactArgs = StepArgs<'transact'>;
type Action = TransactArgs['actions'][number];

interface Written {
  table: string;
  key: Record<string, unknown>;
  kind: 'put' | 'update' | 'delete';
}

function transactItem(ctx: RunContext, action: Action): { item: Record<string, unknown>; written?: Written } {
  if ('check' in action) {
    const { request } = writeRequest(ctx, 'delete', action.check);
    return { item: { ConditionCheck: request } };
  }
  const kind = 'put' in action ? 'put' : 'update' in action ? 'update' : 'delete';
  const body = 'put' in action ? action.put : 'update' in action ? action.update : action.delete;
  const { request, key } = writeRequest(ctx, kind, body);
  const operation = { put: 'Put', update: 'Update', delete: 'Delete' }[kind];
  return { item: { [operation]: request }, written: { table: body.table, key, kind } };
}

/** Each written item as the origin has it right after the transaction (null: deleted). */
async function snapshot(ctx: RunContext, region: string, items: Written[]): Promise<(string | null)[]> {
  const response = await regionOf(ctx, region).call<{ Responses: { Item?: Record<string, never> }[] }>('TransactGetItems', {
    TransactItems: items.map((w) => ({ Get: { TableName: w.table, Key: marshalItem(w.key) } })),
  });
  const states = response.Responses.map((r) => (r.Item ? canonical(unmarshalItem(r.Item)) : null));
  observe(ctx, `transactGet ${items.map((w) => keyText(w.key)).join(' ')} in ${region}: ${states.join(' ')}`);
  return states;
}

/** Reads the items in the watched region until it holds all of them as the origin does; what it saw on the way. */
async function watch(ctx: RunContext, args: TransactArgs, items: Written[], step: number): Promise<TransactionSighting> {
  const { region: watchedIn, everyMs, timeoutMs } = args.watch!;
  const expected = await snapshot(ctx, args.region, items);
  const startedAt = ctx.targets.nowMs();
  const sighting: TransactionSighting = { step, origin: args.region, watchedIn, items: items.length, snapshots: 0, partialSnapshots: 0, whole: false };
  for (;;) {
    const seen = await snapshot(ctx, watchedIn, items);
    const elapsedMs = ctx.targets.nowMs() - startedAt;
    sighting.snapshots += 1;
    const applied = seen.map((state, i) => state === expected[i]);
    const count = applied.filter(Boolean).length;
    if (count === items.length) return { ...sighting, whole: true, wholeAfterMs: elapsedMs };
    if (count > 0) {
      sighting.partialSnapshots += 1;
      sighting.firstPartial ??= {
        afterMs: elapsedMs,
        applied: items.filter((_, i) => applied[i]).map((w) => `${w.table} ${keyText(w.key)}`),
        missing: items.filter((_, i) => !applied[i]).map((w) => `${w.table} ${keyText(w.key)}`),
      };
    }
    if (elapsedMs >= timeoutMs) return sighting;
    await ctx.targets.sleep(everyMs);
  }
}

/** What the watch saw, in plain words. */
export function sightingText(s: TransactionSighting): string {
  const half = s.firstPartial
    ? `seen HALF-APPLIED in ${s.partialSnapshots} of ${s.snapshots} snapshots (first ${s.firstPartial.afterMs} ms after the commit: ${s.firstPartial.applied.join(', ')} there, ${s.firstPartial.missing.join(', ')} not yet)`
    : `never seen half-applied (${s.snapshots} snapshot${s.snapshots === 1 ? '' : 's'})`;
  const end = s.whole ? `whole after ${s.wholeAfterMs} ms` : 'NOT whole when the watch ended';
  return `${s.watchedIn} watching ${s.origin}'s transaction of ${s.items} item${s.items === 1 ? '' : 's'}: ${half}; ${end}`;
}

export async function transact(ctx: RunContext, args: TransactArgs, step: number): Promise<string> {
  const region = regionOf(ctx, args.region);
  const built = args.actions.map((action) => transactItem(ctx, action));
  const written = built.flatMap((b) => (b.written ? [b.written] : []));
  const sentAtMs = ctx.targets.nowMs();
  try {
    await region.call('TransactWriteItems', { TransactItems: built.map((b) => b.item) }, args.timestampMs !== undefined ? { timestampMs: args.timestampMs } : {});
  } catch (error) {
    if (!(error instanceof DynamoCallError)) throw error;
    observe(ctx, `transact of ${built.length} in ${args.region}: ${error.type}`);
    const what = `transaction fails with ${args.expectError}`;
    if (args.expectError !== error.type) throw new ScenarioStepError(`TransactWriteItems in ${args.region} failed: ${error.message}`);
    ctx.recorder.expectation({ step, what, ok: true, detail: error.message });
    return `transaction of ${built.length} action(s) in ${args.region}: ${error.type}, as expected`;
  }
  if (args.expectError) ctx.recorder.expectation({ step, what: `transaction fails with ${args.expectError}`, ok: false, detail: 'it succeeded' });
  observe(ctx, `transact of ${built.length} in ${args.region}: acknowledged`);
  const ackedAtMs = ctx.targets.nowMs();
  for (const w of written) ctx.recorder.writes.push({ table: w.table, key: keyText(w.key), region: args.region, kind: w.kind, sentAtMs, ackedAtMs, step });
  ctx.recorder.mayDiverge(step);
  const summary = `transaction of ${built.length} action(s) in ${args.region}`;
  if (!args.watch || !written.length) return summary;
  const sighting = await watch(ctx, args, written, step);
  ctx.recorder.transactions.push(sighting);
  return `${summary}; ${sightingText(sighting)}`;
}
