/** Check steps: waitConverged (drained, then digests equal in every replica) and expect (items, convergence, conflicts, overwrites, lag). */
import type { TombstonesView } from '../../http/metricsView.js';
import type { PairStatus } from '../../replication/metrics.js';
import { canonical, observe, type RunContext } from '../context.js';
import { allConflicts, classifyOverwrites } from '../overwrites.js';
import type { StepArgs } from '../schema.js';
import { checkItem, readItem } from './data.js';
import { undrained } from './drain.js';

/** Each table's digest in each running region that holds it; equal everywhere means converged. */
async function digests(ctx: RunContext, tables: string[]): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>();
  for (const table of tables) {
    const perRegion = new Map<string, string>();
    for (const name of ctx.replicas.get(table) ?? []) {
      const region = ctx.targets.region(name);
      if (!region.running) continue;
      const { tables: result } = await region.admin<{ tables: Record<string, { digest: string }> }>(`/admin/digest?table=${encodeURIComponent(table)}`);
      const digest = result[table]?.digest ?? 'missing';
      observe(ctx, `digest ${table} in ${name}: ${digest}`);
      perRegion.set(name, digest);
    }
    out.set(table, perRegion);
  }
  return out;
}

const agree = (all: Map<string, Map<string, string>>): boolean => [...all.values()].every((m) => new Set(m.values()).size <= 1);

export async function waitConverged(ctx: RunContext, args: StepArgs<'waitConverged'>, step: number): Promise<string> {
  const tables = args.tables ?? [...ctx.recorder.tables];
  const startedAt = ctx.targets.nowMs();
  // Drained first, then compared: equal digests while changes are still on their way prove nothing.
  let behind = await undrained(ctx);
  let last = behind.length ? undefined : await digests(ctx, tables);
  while (!(last && agree(last)) && ctx.targets.nowMs() - startedAt < args.timeoutMs) {
    await ctx.targets.sleep(100);
    behind = await undrained(ctx);
    last = behind.length ? undefined : await digests(ctx, tables);
  }
  const converged = Boolean(last && agree(last));
  const nowMs = ctx.targets.nowMs();
  const waitedMs = nowMs - startedAt;
  const afterHealMs = ctx.recorder.lastHealAtMs !== undefined ? nowMs - ctx.recorder.lastHealAtMs : undefined;
  ctx.recorder.convergence.push({ step, waitedMs, converged, ...(afterHealMs !== undefined ? { afterHealMs } : {}) });
  ctx.recorder.lastHealAtMs = undefined;
  const detail = converged ? `in ${waitedMs} ms` : last ? describeDivergence(last) : `not drained: ${behind.join('; ')}`;
  ctx.recorder.expectation({ step, what: `converged within ${args.timeoutMs} ms`, ok: converged, detail });
  if (converged) ctx.recorder.converged(step);
  return converged ? `converged in ${waitedMs} ms${afterHealMs !== undefined ? ` (${afterHealMs} ms after the last heal)` : ''}` : `NOT converged after ${waitedMs} ms`;
}

function describeDivergence(all: Map<string, Map<string, string>>): string {
  return [...all.entries()].filter(([, m]) => new Set(m.values()).size > 1)
    .map(([table, m]) => `${table}: ${[...m.entries()].map(([r, d]) => `${r} ${d.slice(0, 8)}`).join(', ')}`).join('; ');
}

function countCheck(actual: number, expected: { count?: number; min?: number; max?: number }): boolean {
  return (expected.count === undefined || actual === expected.count)
    && (expected.min === undefined || actual >= expected.min)
    && (expected.max === undefined || actual <= expected.max);
}

export async function expect(ctx: RunContext, args: StepArgs<'expect'>, step: number, line?: number): Promise<string> {
  const results: string[] = [];
  const record = (what: string, ok: boolean, detail: string): void => {
    ctx.recorder.expectation({ step, line, what, ok, detail });
    results.push(`${ok ? 'ok' : 'FAILED'}: ${what} (${detail})`);
  };
  if (args.item) {
    const { table, key, region, ...expected } = args.item;
    const regions = region ? [region] : (ctx.replicas.get(table) ?? []).filter((r) => ctx.targets.region(r).running);
    for (const name of regions) {
      const check = checkItem(await readItem(ctx, name, table, key), expected);
      if (check) record(`${table} ${JSON.stringify(key)} in ${name}`, check.ok, check.detail);
    }
  }
  if (args.converged) {
    const all = await digests(ctx, [...ctx.recorder.tables]);
    record('replicas converged', agree(all), agree(all) ? 'digests equal' : describeDivergence(all));
  }
  if (args.conflicts) {
    const { table, reason, ...counts } = args.conflicts;
    const matching = (await allConflicts(ctx)).filter((c) => (!table || c.table === table) && (!reason || c.reason === reason));
    observe(ctx, `conflicts${table ? ` in ${table}` : ''}${reason ? ` (${reason})` : ''}: ${matching.length}`);
    record(`conflicts${table ? ` in ${table}` : ''}${reason ? ` (${reason})` : ''}: ${JSON.stringify(counts)}`, countCheck(matching.length, counts), `${matching.length} logged`);
  }
  if (args.overwritten) {
    const summary = await classifyOverwrites(ctx);
    observe(ctx, `overwritten: ${canonical({ ...summary, lost: summary.lost.length })}`);
    for (const [cls, expected] of Object.entries(args.overwritten)) {
      const actual = summary[cls as keyof typeof args.overwritten];
      record(`overwritten ${cls} = ${expected}`, actual === expected, `${actual}`);
    }
  }
  if (args.tombstones) await expectTombstones(ctx, args.tombstones, record);
  if (args.lagMsP99Below !== undefined) {
    const pairs: PairStatus[] = [];
    for (const region of ctx.targets.running()) pairs.push(...(await region.admin<{ replication: PairStatus[] }>('/admin/metrics')).replication);
    const worst = Math.max(0, ...pairs.map((p) => p.lagMs.p99 ?? 0));
    observe(ctx, `replication lag p99: ${worst}`);
    record(`replication lag p99 below ${args.lagMsP99Below} ms`, worst < args.lagMsP99Below, `worst pair ${worst} ms`);
  }
  return results.join('; ');
}

type RecordResult = (what: string, ok: boolean, detail: string) => void;

async function expectTombstones(ctx: RunContext, expected: NonNullable<StepArgs<'expect'>['tombstones']>, record: RecordResult): Promise<void> {
  const views: { region: string; tombstones: TombstonesView }[] = [];
  for (const region of ctx.targets.running()) views.push({ region: region.name, tombstones: (await region.admin<{ tombstones: TombstonesView }>('/admin/metrics')).tombstones });
  const purged = views.reduce((n, v) => n + v.tombstones.purged, 0);
  const resurrections = views.reduce((n, v) => n + v.tombstones.possibleResurrections, 0);
  observe(ctx, `tombstones: purged ${purged}, possible resurrections ${resurrections}`);
  if (expected.purged) record(`tombstones purged: ${JSON.stringify(expected.purged)}`, countCheck(purged, expected.purged), `${purged} purged`);
  if (expected.resurrections !== undefined) record(`possible resurrections = ${expected.resurrections}`, resurrections === expected.resurrections, `${resurrections}`);
  if (expected.heldFor) {
    const others = views.filter((v) => v.region !== expected.heldFor);
    const notHolding = others.filter((v) => !v.tombstones.waitingOn.includes(expected.heldFor!)).map((v) => v.region);
    record(`tombstones held back for ${expected.heldFor}`, notHolding.length === 0, notHolding.length ? `not waiting for it: ${notHolding.join(', ')}` : `by ${others.map((v) => v.region).join(', ')}`);
  }
}
