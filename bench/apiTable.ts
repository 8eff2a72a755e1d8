/** The api benchmark's figures: per-server medians, the ratios between servers, and the markdown table. */
import type { PhaseResult } from './apiLoad.js';
import type { PublisherDrain } from './publisherDrain.js';
import { median, round2 } from './stats.js';

export const SERVER_LABELS = {
  on: 'globaltables, change stream on',
  off: 'globaltables, change stream off',
  mem: 'dynalite in memory',
  disk: 'dynalite on disk',
} as const;
export type ServerKey = keyof typeof SERVER_LABELS;

/** One server's round; `drain` only for a region whose change stream is on. */
export interface ServerRound { put: PhaseResult; get: PhaseResult; drain?: PublisherDrain }
export type RoundsByServer = Partial<Record<ServerKey, ServerRound[]>>;

interface RatioSpec { key: string; label: string; phase: 'put' | 'get'; of: ServerKey; over: ServerKey; target?: number }

const RATIOS: RatioSpec[] = [
  { key: 'putStreamOnOverDynaliteMemory', label: 'PutItem, stream on / dynalite in memory', phase: 'put', of: 'on', over: 'mem', target: 1.5 },
  { key: 'putStreamOnOverStreamOff', label: 'PutItem, stream on / stream off', phase: 'put', of: 'on', over: 'off', target: 0.85 },
  { key: 'putStreamOnOverDynaliteDisk', label: 'PutItem, stream on / dynalite on disk', phase: 'put', of: 'on', over: 'disk' },
  { key: 'getStreamOffOverDynaliteMemory', label: 'GetItem, stream off / dynalite in memory', phase: 'get', of: 'off', over: 'mem' },
  { key: 'getStreamOffOverDynaliteDisk', label: 'GetItem, stream off / dynalite on disk', phase: 'get', of: 'off', over: 'disk', target: 1.6 },
];

export interface Ratio { label: string; value: number; target: number | null }

const medianOf = (values: number[]): number => round2(median(values));

export function summarize(rounds: ServerRound[]) {
  const drains = rounds.flatMap((r) => (r.drain ? [r.drain] : []));
  const requests = rounds.reduce((sum, r) => sum + r.put.requests + r.get.requests, 0);
  return {
    put: medianOf(rounds.map((r) => r.put.ops)),
    get: medianOf(rounds.map((r) => r.get.ops)),
    putP50Ms: medianOf(rounds.map((r) => r.put.p50Ms)),
    putP99Ms: medianOf(rounds.map((r) => r.put.p99Ms)),
    getP50Ms: medianOf(rounds.map((r) => r.get.p50Ms)),
    getP99Ms: medianOf(rounds.map((r) => r.get.p99Ms)),
    errorRate: round2(rounds.reduce((sum, r) => sum + r.put.errors + r.get.errors, 0) / Math.max(1, requests)),
    ...(drains.length ? {
      backlogAtEnd: medianOf(drains.map((d) => d.backlogAtEnd)),
      lookedAfterLoadMs: medianOf(drains.map((d) => d.lookedAfterLoadMs)),
      drainedInMs: medianOf(drains.map((d) => d.drainedInMs)),
      drainedInMaxMs: Math.max(...drains.map((d) => d.drainedInMs)),
    } : {}),
  };
}
export type ServerSummary = ReturnType<typeof summarize>;

/**
 * Each round measures every server back to back, so a per-round ratio cancels most of the drift
 * of a noisy machine; the reported ratio is the median of those. Only ratios of servers that ran.
 */
export function ratios(rounds: RoundsByServer): Record<string, Ratio> {
  const result: Record<string, Ratio> = {};
  for (const spec of RATIOS) {
    const of = rounds[spec.of];
    const over = rounds[spec.over];
    if (!of || !over) continue;
    const value = medianOf(of.map((r, i) => r[spec.phase].ops / over[i][spec.phase].ops));
    result[spec.key] = { label: spec.label, value, target: spec.target ?? null };
  }
  return result;
}

export interface TableFacts { date: string; cores: number; node: string; dynaliteVersion: string; rounds: number; seconds: number; warmupSeconds: number }

export function markdownTable(facts: TableFacts, summaries: Partial<Record<ServerKey, ServerSummary>>, ratioRows: Record<string, Ratio>): string {
  const lines = [
    `Measured ${facts.date} on ${facts.cores} cores, Node ${facts.node}, dynalite ${facts.dynaliteVersion}; ${facts.rounds === 1 ? 'one round' : `medians of ${facts.rounds} rounds`}, each measuring the servers back to back, ${facts.seconds} s per phase after a ${facts.warmupSeconds} s warm-up; every PutItem changes its item.`,
    '',
    '| | PutItem ops/s | PutItem p50 / p99 ms | GetItem ops/s | GetItem p50 / p99 ms | change stream after PutItem |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const key of Object.keys(SERVER_LABELS) as ServerKey[]) {
    const s = summaries[key];
    if (!s) continue;
    const stream = s.drainedInMs === undefined ? '' : `backlog ${s.backlogAtEnd} at +${s.lookedAfterLoadMs} ms, drained in ${s.drainedInMs} ms`;
    lines.push(`| ${SERVER_LABELS[key]} | ${Math.round(s.put)} | ${s.putP50Ms} / ${s.putP99Ms} | ${Math.round(s.get)} | ${s.getP50Ms} / ${s.getP99Ms} | ${stream} |`);
  }
  if (Object.keys(ratioRows).length) {
    lines.push('', '| ratio, median of per-round ratios | value (target) |', '|---|---:|');
    for (const r of Object.values(ratioRows)) {
      lines.push(`| ${r.label} | ${r.target === null ? `${r.value}×` : `**${r.value}×** (≥ ${r.target}×)`} |`);
    }
  }
  if (summaries.on) {
    lines.push('', 'Backlog: changes the region had committed (and acknowledged to clients) but JetStream had not yet acknowledged, at the first look after the load, that many ms after its measured window ended (the load generator finishing its last requests and exiting); drained in: from then until the stream held them all. PutItem ops/s counts client acknowledgements.');
  }
  return lines.join('\n');
}
