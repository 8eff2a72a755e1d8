/**
 * A run's timeline, for the HTML report: every region's feed events for the whole run, the steps
 * with their times, regions going down and up, divergence windows and convergence, in true time
 * (virtual in a simulated run). Recorded only when asked for: a run without it is unchanged.
 */
import type { FeedEvent } from '../region/feedEvents.js';
import type { StepResult } from './recorder.js';
import type { ScenarioReport } from './report.js';
import type { RunObserver } from './runner.js';
import type { Scenario } from './schema.js';
import type { ScenarioTargets } from './targets.js';

export interface TimelineStep extends StepResult {
  type: 'step';
  atMs: number;
  endedAtMs: number;
}

/** A region crashed (up: false) or restarted by a step. */
export interface TimelineRegion { type: 'region'; region: string; up: boolean; atMs: number }

/** The replicas differed from fromMs to toMs (atMs is fromMs, so every event sorts by atMs). */
export interface TimelineDivergence { type: 'divergence'; atMs: number; fromMs: number; toMs: number; fromStep: number; toStep: number }

/** A waitConverged ended (atMs), having waited waitedMs. */
export interface TimelineConvergence { type: 'convergence'; atMs: number; step: number; converged: boolean; waitedMs: number; afterHealMs?: number }

export type TimelineEvent = FeedEvent | TimelineStep | TimelineRegion | TimelineDivergence | TimelineConvergence;

export interface RunTimeline {
  scenario: string;
  file: string;
  seed: number;
  mode: 'real' | 'sim';
  startedAtMs: number;
  endedAtMs: number;
  regions: string[];
  /** Sorted by atMs; events at the same ms in the order they happened. */
  events: TimelineEvent[];
  /** Change events past the cap, left out (every other event is kept). */
  changesDropped: number;
  report: ScenarioReport;
}

/** Enough changes to replay a scenario's story; a load-heavy run keeps its first ones and counts the rest. */
export const DEFAULT_MAX_CHANGES = 20_000;

export class TimelineRecorder implements RunObserver {
  private readonly feed: FeedEvent[] = [];
  private readonly steps: TimelineStep[] = [];
  private readonly regionEvents: TimelineRegion[] = [];
  private changes = 0;
  private changesDropped = 0;
  private startedAtMs = 0;
  private endedAtMs = 0;
  private stopFollowing: (() => void) | undefined;

  constructor(private readonly scenario: Scenario, private readonly maxChanges = DEFAULT_MAX_CHANGES) {}

  async started(targets: ScenarioTargets, atMs: number): Promise<void> {
    this.startedAtMs = atMs;
    this.stopFollowing = await targets.followFeeds?.((event) => this.onFeed(event));
  }

  step(result: StepResult, startedAtMs: number): void {
    const endedAtMs = startedAtMs + result.ms;
    this.steps.push({ type: 'step', atMs: startedAtMs, endedAtMs, ...result });
    const step = this.scenario.steps[result.index];
    if (!result.ok || !step) return;
    if (step.kind === 'crashRegion') this.regionEvents.push({ type: 'region', region: step.args.region, up: false, atMs: endedAtMs });
    if (step.kind === 'restartRegion') this.regionEvents.push({ type: 'region', region: step.args.region, up: true, atMs: endedAtMs });
  }

  finished(atMs: number): void {
    this.endedAtMs = atMs;
    this.stopFollowing?.();
    this.stopFollowing = undefined;
  }

  /** The whole timeline, with the report built at the end of the run. */
  timeline(report: ScenarioReport): RunTimeline {
    const events: TimelineEvent[] = [...this.steps, ...this.regionEvents, ...this.feed, ...this.checkEvents(report)];
    // Array.prototype.sort is stable: events at one ms keep the order they were added in.
    events.sort((a, b) => a.atMs - b.atMs);
    return {
      scenario: report.scenario,
      file: report.file,
      seed: report.seed,
      mode: report.mode,
      startedAtMs: this.startedAtMs,
      endedAtMs: Math.max(this.endedAtMs, this.startedAtMs),
      regions: report.regions.map((r) => r.name),
      events,
      changesDropped: this.changesDropped,
      report,
    };
  }

  private onFeed(event: FeedEvent): void {
    if (event.type === 'change') {
      if (this.changes >= this.maxChanges) {
        this.changesDropped += 1;
        return;
      }
      this.changes += 1;
    }
    this.feed.push(event);
  }

  /**
   * Divergence windows and convergence, timed by the waitConverged step that ended them: it
   * records convergence as its last act, so the step's end is when the replicas were seen to agree.
   */
  private checkEvents(report: ScenarioReport): (TimelineDivergence | TimelineConvergence)[] {
    const endOf = (index: number): number | undefined => this.steps.find((s) => s.index === index)?.endedAtMs;
    const out: (TimelineDivergence | TimelineConvergence)[] = [];
    for (const c of report.convergence) {
      const atMs = endOf(c.step);
      if (atMs !== undefined) out.push({ type: 'convergence', atMs, ...c });
    }
    for (const d of report.divergenceWindows) {
      const toMs = endOf(d.toStep);
      if (toMs !== undefined) out.push({ type: 'divergence', atMs: toMs - d.ms, fromMs: toMs - d.ms, toMs, fromStep: d.fromStep, toStep: d.toStep });
    }
    return out;
  }
}
