/** The scenario report: built from what the run recorded and what the regions say, as JSON and as text for people. */
import type { RegionMetrics, TombstonesView } from '../http/metricsView.js';
import { unmarshalItem } from './client.js';
import type { RunContext } from './context.js';
import { allConflicts, classifyOverwrites, type OverwriteSummary } from './overwrites.js';
import type { ConvergenceEvent, DivergenceWindow, ExpectationResult, FaultCounters, StepResult, TransactionSighting } from './recorder.js';
import { sightingText } from './steps/transact.js';
import { explainConflict } from '../core/conflictExplanation.js';

export interface ScenarioReport {
  scenario: string;
  file: string;
  seed: number;
  /** real: processes on the wall clock; sim: one process on virtual time, where every ms here is virtual. */
  mode: 'real' | 'sim';
  passed: boolean;
  durationMs: number;
  regions: { name: string; clock: { mode: string; skewMs: number } }[];
  granularity: string;
  steps: StepResult[];
  expectations: ExpectationResult[];
  replicationLatency: { source: string; target: string; p50Ms: number | null; p99Ms: number | null; maxMs: number | null; applied: number }[];
  convergence: ConvergenceEvent[];
  conflicts: { table: string; key: Record<string, unknown>; reason: string; explanation: string; winner: { origin: string; writtenAtMs: number; version: unknown }; loser: { origin: string; writtenAtMs: number; version: unknown }; detectedIn: string; lostAttributes?: string[] }[];
  overwritten: Omit<OverwriteSummary, 'lost'> & { lost: { table: string; key: string; region: string; class: string; step: number }[] };
  divergenceWindows: DivergenceWindow[];
  /** Transactions watched from another region: whether a snapshot there held part of one. */
  transactions: TransactionSighting[];
  faults: FaultCounters;
  acknowledgedWrites: number;
  /** Per region: tombstones purged, possible resurrections (writes a purged delete may have let through), peers purges wait for. */
  tombstones: RegionTombstones[];
  /** Simulated runs: the hash of everything delivered, applied and read; equal hashes, equal runs. */
  traceHash?: string;
}

type RegionTombstones = { region: string } & Pick<TombstonesView, 'purged' | 'possibleResurrections' | 'waitingOn'>;

export async function buildReport(ctx: RunContext, seed: number, durationMs: number): Promise<ScenarioReport> {
  const { scenario, recorder } = ctx;
  const latency: ScenarioReport['replicationLatency'] = [];
  const tombstones: RegionTombstones[] = [];
  for (const region of ctx.targets.running()) {
    const metrics = await region.admin<Pick<RegionMetrics, 'replication' | 'tombstones'>>('/admin/metrics').catch(() => undefined);
    for (const p of metrics?.replication ?? []) latency.push({ source: p.source, target: region.name, p50Ms: p.lagMs.p50, p99Ms: p.lagMs.p99, maxMs: p.lagMs.max, applied: p.applied });
    if (metrics) {
      const { purged, possibleResurrections, waitingOn } = metrics.tombstones;
      tombstones.push({ region: region.name, purged, possibleResurrections, waitingOn });
    }
  }
  const conflicts = (await allConflicts(ctx).catch(() => [])).map((c) => ({
    table: c.table, key: unmarshalItem(c.keys), reason: c.reason, explanation: explainConflict(c), detectedIn: c.detectedIn,
    ...(c.lostAttributes ? { lostAttributes: c.lostAttributes } : {}),
    winner: { origin: c.winner.origin, writtenAtMs: c.winner.writtenAtMs, version: c.winner.version },
    loser: { origin: c.loser.origin, writtenAtMs: c.loser.writtenAtMs, version: c.loser.version },
  }));
  const overwrites = await classifyOverwrites(ctx).catch(() => undefined);
  // Last, so the hash covers the report's own reads too.
  const traceHash = ctx.targets.traceHash?.();
  return {
    scenario: scenario.name,
    file: scenario.file,
    seed,
    mode: ctx.targets.mode,
    passed: recorder.passed,
    durationMs,
    regions: scenario.regions,
    granularity: scenario.granularity,
    steps: recorder.steps,
    expectations: recorder.expectations,
    replicationLatency: latency.filter((p) => p.applied > 0 || p.p50Ms !== null),
    convergence: recorder.convergence,
    conflicts,
    overwritten: overwrites
      ? { ...overwrites, lost: overwrites.lost.map((w) => ({ table: w.table, key: w.key, region: w.region, class: w.class, step: w.step })) }
      : { total: 0, superseded: 0, concurrent: 0, skewInverted: 0, tieBreak: 0, lost: [] },
    divergenceWindows: recorder.divergence,
    transactions: recorder.transactions,
    faults: recorder.faults,
    acknowledgedWrites: recorder.writes.length,
    tombstones,
    ...(traceHash !== undefined ? { traceHash } : {}),
  };
}

const ms = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : `${value} ms`);

/** A simulated run replays exactly from its seed; a real one plays the same operations with its own timing. */
function replayHint(report: ScenarioReport): string {
  return report.mode === 'sim'
    ? `replay: globaltables run ${report.file} --sim --seed ${report.seed}`
    : `rerun: globaltables run ${report.file} --seed ${report.seed} (same operations; timing differs — replay exactly with --sim)`;
}

/** Resurrections first: one is a delete undone, which must never pass unnoticed. */
function tombstonesLine(regions: RegionTombstones[]): string {
  const sum = (pick: (r: RegionTombstones) => number): number => regions.reduce((n, r) => n + pick(r), 0);
  const resurrections = sum((r) => r.possibleResurrections);
  const where = regions.filter((r) => r.possibleResurrections).map((r) => `${r.region} ${r.possibleResurrections}`).join(', ');
  const waiting = regions.filter((r) => r.waitingOn.length).map((r) => `${r.region} waits for ${r.waitingOn.join(', ')}`).join('; ');
  return `  ${resurrections ? `⚠ possible resurrections: ${resurrections} (${where}) — a delete may have been undone` : 'resurrections: 0'}; purged ${sum((r) => r.purged)}${waiting ? `; held back: ${waiting}` : ''}`;
}

export function renderReport(report: ScenarioReport): string {
  const lines: string[] = [];
  const section = (title: string): void => { lines.push('', title, '-'.repeat(title.length)); };
  lines.push(`${report.passed ? 'PASSED' : 'FAILED'}  ${report.scenario}  (${(report.durationMs / 1000).toFixed(1)} s${report.mode === 'sim' ? ' virtual' : ''}, seed ${report.seed}; ${replayHint(report)})`);
  lines.push(`regions: ${report.regions.map((r) => `${r.name} (${r.clock.mode}${r.clock.skewMs ? `, skew ${r.clock.skewMs} ms` : ''})`).join(', ')}; last-writer-wins per ${report.granularity}`);
  section('Expectations');
  for (const e of report.expectations) lines.push(`  ${e.ok ? '✓' : '✗'} step ${e.step + 1}${e.line ? ` (line ${e.line})` : ''}: ${e.what} — ${e.detail}`);
  for (const s of report.steps.filter((x) => !x.ok)) lines.push(`  ✗ step ${s.index + 1} ${s.kind} failed: ${s.error}`);
  if (!report.expectations.length) lines.push('  (none)');
  section('Replication latency (commit at the source → applied at the target)');
  for (const p of report.replicationLatency) lines.push(`  ${`${p.source} → ${p.target}`.padEnd(32)} p50 ${ms(p.p50Ms).padStart(7)}   p99 ${ms(p.p99Ms).padStart(7)}   max ${ms(p.maxMs).padStart(7)}   (${p.applied} applied)`);
  if (!report.replicationLatency.length) lines.push('  (nothing replicated)');
  section('Convergence');
  for (const c of report.convergence) lines.push(`  step ${c.step + 1}: ${c.converged ? `converged in ${c.waitedMs} ms` : `NOT converged after ${c.waitedMs} ms`}${c.afterHealMs !== undefined ? `, ${c.afterHealMs} ms after the heal` : ''}`);
  for (const d of report.divergenceWindows) lines.push(`  replicas differed from step ${d.fromStep + 1} to step ${d.toStep + 1}: ${d.ms} ms`);
  if (report.transactions.length) {
    section('Transactions seen from another region (atomic only where they were made)');
    for (const t of report.transactions) lines.push(`  step ${t.step + 1}: ${sightingText(t)}`);
  }
  section(`Conflicts (${report.conflicts.length})`);
  for (const c of report.conflicts.slice(0, 20)) {
    lines.push(`  ${c.table} ${JSON.stringify(c.key)}, detected in ${c.detectedIn}: ${c.explanation}`);
  }
  if (report.conflicts.length > 20) lines.push(`  … and ${report.conflicts.length - 20} more (see --json)`);
  const o = report.overwritten;
  section('Acknowledged writes overwritten');
  lines.push(`  ${o.total} of ${report.acknowledgedWrites}: superseded ${o.superseded}, concurrent ${o.concurrent}, skew-inverted ${o.skewInverted}, tie-break ${o.tieBreak}`);
  section('Tombstones');
  lines.push(tombstonesLine(report.tombstones));
  section('Faults');
  lines.push(`  ${Object.entries(report.faults).filter(([, n]) => n).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
  if (report.traceHash !== undefined) lines.push('', `trace hash: ${report.traceHash}`);
  return lines.join('\n');
}
