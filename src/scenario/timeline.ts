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
import type { FeedFollowing, ScenarioTargets } from './targets.js';

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
export interface TimelineConvergence { type: 'convergenceCheck'; atMs: number; step: number; converged: boolean; waitedMs: number; afterHealMs?: number }

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

/** An event with the order it was noted in, which breaks ties between events at the same ms. */
interface Noted { event: TimelineEvent; seq: number }

export class TimelineRecorder implements RunObserver {
  private readonly noted: Noted[] = [];
  private readonly steps = new Map<number, { event: TimelineStep; seq: number }>();
  private changes = 0;
  private changesDropped = 0;
  private startedAtMs = 0;
  private endedAtMs = 0;
  private following: FeedFollowing | undefined;

  constructor(private readonly scenario: Scenario, private readonly maxChanges = DEFAULT_MAX_CHANGES) {}

  async started(targets: ScenarioTargets, atMs: number): Promise<void> {
    this.startedAtMs = atMs;
    this.following = await targets.followFeeds?.((event) => this.onFeed(event));
  }

  /**
   * A step's event takes its place when the step starts, the feeds flushed first where they can be
   * (simulated): at one virtual ms, what came before the step sorts before it, what it made after.
   */
  stepStarted(index: number, atMs: number): void {
    this.following?.flush?.();
    const step = this.scenario.steps[index];
    // Until it ends, the step is one the run never finished.
    const event: TimelineStep = { type: 'step', atMs, endedAtMs: atMs, index, kind: step?.kind ?? '', summary: '', ms: 0, ok: false, error: 'the run ended during this step' };
    this.steps.set(index, { event, seq: this.note(event) });
  }

  stepEnded(result: StepResult): void {
    this.following?.flush?.();
    const started = this.steps.get(result.index);
    if (!started) return;
    const endedAtMs = started.event.atMs + result.ms;
    Object.assign(started.event, result, { endedAtMs });
    const step = this.scenario.steps[result.index];
    if (!result.ok || !step) return;
    if (step.kind === 'crashRegion') this.note({ type: 'region', region: step.args.region, up: false, atMs: endedAtMs });
    if (step.kind === 'restartRegion') this.note({ type: 'region', region: step.args.region, up: true, atMs: endedAtMs });
  }

  async finished(atMs: number): Promise<void> {
    this.endedAtMs = atMs;
    const following = this.following;
    this.following = undefined;
    await following?.stop();
  }

  /** The whole timeline, with the report built at the end of the run. */
  timeline(report: ScenarioReport): RunTimeline {
    const checks = this.checkEvents(report);
    const events = [...this.noted, ...checks].sort((a, b) => a.event.atMs - b.event.atMs || a.seq - b.seq).map((n) => n.event);
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

  private note(event: TimelineEvent): number {
    const seq = this.noted.length;
    this.noted.push({ event, seq });
    return seq;
  }

  private onFeed(event: FeedEvent): void {
    if (event.type === 'change') {
      if (this.changes >= this.maxChanges) {
        this.changesDropped += 1;
        return;
      }
      this.changes += 1;
    }
    this.note(event);
  }

  /**
   * Divergence windows and convergence, timed by the waitConverged step that ended them: it
   * records convergence as its last act, so the step's end is when the replicas were seen to agree.
   * They sort as if noted just after that step's last event.
   */
  private checkEvents(report: ScenarioReport): Noted[] {
    const out: Noted[] = [];
    const nextSeq = (index: number): number => this.steps.get(index + 1)?.seq ?? this.noted.length;
    for (const c of report.convergence) {
      const step = this.steps.get(c.step);
      if (step) out.push({ event: { type: 'convergenceCheck', atMs: step.event.endedAtMs, ...c }, seq: nextSeq(c.step) - 0.5 });
    }
    for (const d of report.divergenceWindows) {
      const step = this.steps.get(d.toStep);
      if (!step) continue;
      const toMs = step.event.endedAtMs;
      const fromMs = toMs - d.ms;
      out.push({ event: { type: 'divergence', atMs: fromMs, fromMs, toMs, fromStep: d.fromStep, toStep: d.toStep }, seq: this.steps.get(d.fromStep)?.seq ?? 0 });
    }
    return out;
  }
}
