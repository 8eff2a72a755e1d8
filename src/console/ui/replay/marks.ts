/** What the timeline strip draws, read from the run's events: step kinds, markers, divergence, lag per pair. */
import type { FeedChange, FeedEvent, FeedFault } from '../../../region/feedEvents.js';
import type { RunTimeline, TimelineDivergence, TimelineEvent, TimelineRegion } from '../../../scenario/timeline.js';

export type StepCategory = 'data' | 'fault' | 'check' | 'table' | 'sleep';

const CATEGORIES: Record<string, StepCategory> = {
  put: 'data', update: 'data', delete: 'data', transact: 'data', get: 'data', query: 'data', workload: 'data',
  latency: 'fault', networkFaults: 'fault', partition: 'fault', heal: 'fault', crashRegion: 'fault', restartRegion: 'fault',
  crashNats: 'fault', restartNats: 'fault', clockSkew: 'fault', clockJump: 'fault',
  waitConverged: 'check', expect: 'check',
  createTable: 'table', addReplica: 'table', removeReplica: 'table', enableTtl: 'table',
  sleep: 'sleep',
};

export const stepCategory = (kind: string): StepCategory => CATEGORIES[kind] ?? 'data';

const isFeed = (e: TimelineEvent): e is FeedEvent => ['hello', 'change', 'changesSkipped', 'conflict', 'fault', 'status'].includes(e.type);

export const feedEvents = (events: TimelineEvent[]): FeedEvent[] => events.filter(isFeed);

export const faultsIn = (events: TimelineEvent[]): FeedFault[] => events.filter((e): e is FeedFault => e.type === 'fault');
export const regionChanges = (events: TimelineEvent[]): TimelineRegion[] => events.filter((e): e is TimelineRegion => e.type === 'region');
export const divergenceWindows = (events: TimelineEvent[]): TimelineDivergence[] => events.filter((e): e is TimelineDivergence => e.type === 'divergence');

/** Replication lag of one pair over time: for each change applied in the target, true ms since its commit in the source. */
export interface LagSeries {
  source: string;
  target: string;
  points: { atMs: number; lagMs: number }[];
}

const changeId = (c: FeedChange): string => JSON.stringify([c.table, c.keys, c.version]);

/** Matched by table, key and version: the same write, committed in its origin and applied elsewhere. */
export function lagSeries(events: TimelineEvent[]): LagSeries[] {
  const committed = new Map<string, number>();
  const pairs = new Map<string, LagSeries>();
  for (const e of events) {
    if (e.type !== 'change') continue;
    if (e.origin === e.region) {
      committed.set(changeId(e), e.atMs);
      continue;
    }
    const fromMs = committed.get(changeId(e));
    if (fromMs === undefined) continue;
    const id = `${e.origin}→${e.region}`;
    let series = pairs.get(id);
    if (!series) pairs.set(id, series = { source: e.origin, target: e.region, points: [] });
    series.points.push({ atMs: e.atMs, lagMs: e.atMs - fromMs });
  }
  return [...pairs.values()].sort((a, b) => (a.source + a.target < b.source + b.target ? -1 : 1));
}

/** Tick spacing for a time axis: 1, 2 or 5 times a power of ten, about `count` ticks over the run. */
export function tickStepMs(durationMs: number, count = 6): number {
  const raw = Math.max(durationMs / count, 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? power * 10;
}

export const runDurationMs = (run: RunTimeline): number => Math.max(run.endedAtMs - run.startedAtMs, 1);

/** Steps that did not run, or ran with an expectation that did not hold: what a reader looks for first. */
export function failedSteps(run: RunTimeline): Set<number> {
  const failed = new Set(run.report.steps.filter((s) => !s.ok).map((s) => s.index));
  for (const e of run.report.expectations) if (!e.ok) failed.add(e.step);
  return failed;
}
