/**
 * The console's state at any point of a recorded run: the run's events folded through the
 * console's reducer. States at every CHECKPOINT events are kept (the reducer copies on write, so a
 * kept state never changes), and a cursor folds only from the nearest one before it.
 */
import type { RunTimeline } from '../../../scenario/timeline.js';
import { emptyState, isConsoleEvent, loadCluster, reduceAll, type ConsoleEvent, type ConsoleState } from '../state/index.js';

const CHECKPOINT = 500;

export class RunFolder {
  private readonly checkpoints: ConsoleState[];

  constructor(private readonly run: RunTimeline) {
    // The scenario's regions, in its order, before any event names them.
    this.checkpoints = [loadCluster(emptyState(), { regions: run.regions.map((name) => ({ name, endpoint: '', controllable: false })), tables: [] })];
  }

  /** The state once events[0..position) have happened, as of atMs. */
  at(position: number, atMs: number): ConsoleState {
    const index = Math.floor(position / CHECKPOINT);
    const state = reduceAll(this.checkpoint(index), this.consoleEvents(index * CHECKPOINT, position));
    return { ...state, nowMs: atMs };
  }

  private checkpoint(index: number): ConsoleState {
    while (this.checkpoints.length <= index) {
      const k = this.checkpoints.length;
      this.checkpoints.push(reduceAll(this.checkpoints[k - 1]!, this.consoleEvents((k - 1) * CHECKPOINT, k * CHECKPOINT)));
    }
    return this.checkpoints[index]!;
  }

  /** The events the console's state is made of; steps, divergence windows and checks are the replay's own. */
  private consoleEvents(from: number, to: number): ConsoleEvent[] {
    return this.run.events.slice(from, to).flatMap((e) => (isConsoleEvent(e) ? [e] : []));
  }
}
