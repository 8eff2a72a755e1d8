/**
 * The strip's horizontal axis: true time, or one equal slot per step (time runs linearly inside
 * each slot), so a run whose first steps take a few ms before a long wait still shows them apart.
 */
import type { RunTimeline } from '../../../scenario/timeline.js';
import type { StepStop } from './cursor.js';

export type AxisMode = 'time' | 'steps';

export interface Axis {
  /** Where atMs falls, from 0 (the run's start) to 1 (its end). */
  at(atMs: number): number;
  /** The time at a fraction of the width (a click). */
  timeAt(fraction: number): number;
}

const clamp01 = (f: number): number => Math.min(Math.max(f, 0), 1);

export function timeAxis(run: RunTimeline): Axis {
  const duration = Math.max(run.endedAtMs - run.startedAtMs, 1);
  return {
    at: (atMs) => clamp01((atMs - run.startedAtMs) / duration),
    timeAt: (fraction) => run.startedAtMs + clamp01(fraction) * duration,
  };
}

export function stepAxis(run: RunTimeline, stops: StepStop[]): Axis {
  const n = stops.length;
  if (n === 0) return timeAxis(run);
  const slot = (i: number): { from: number; to: number } => {
    const { step } = stops[i]!;
    // The last slot runs to the run's end, so what came after the last step still has a place.
    return { from: step.atMs, to: i === n - 1 ? Math.max(run.endedAtMs, step.endedAtMs) : step.endedAtMs };
  };
  return {
    at(atMs) {
      let i = 0;
      while (i + 1 < n && stops[i + 1]!.step.atMs <= atMs && !(stops[i]!.step.atMs === atMs && stops[i]!.step.endedAtMs === atMs)) i += 1;
      const { from, to } = slot(i);
      const inside = to > from ? clamp01((atMs - from) / (to - from)) : atMs >= to ? 1 : 0;
      return clamp01((i + inside) / n);
    },
    timeAt(fraction) {
      const scaled = clamp01(fraction) * n;
      const i = Math.min(Math.floor(scaled), n - 1);
      const { from, to } = slot(i);
      return from + (scaled - i) * (to - from);
    },
  };
}
