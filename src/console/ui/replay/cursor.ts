/**
 * Where the replay stands: a time, the events that happened by then, and, when the replay stopped
 * at a step, which one. Time is kept to the ms the run recorded, so steps that took no time (in a
 * simulation most writes take none) share one moment and are told apart only by the step stop.
 */
import type { RunTimeline, TimelineEvent, TimelineStep } from '../../../scenario/timeline.js';

export interface Cursor {
  atMs: number;
  /** Events[0..position) happened at or before atMs. */
  position: number;
  /** The step the replay stopped after, when it did (index into the stops). */
  stop?: number;
}

export type StepStop = TimelineStep;

export const stepStops = (events: TimelineEvent[]): StepStop[] => events.filter((e): e is TimelineStep => e.type === 'step');

/** How many events happened at or before atMs (binary search: events are sorted by atMs). */
export function positionAt(events: TimelineEvent[], atMs: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (events[mid]!.atMs <= atMs) low = mid + 1;
    else high = mid;
  }
  return low;
}

export function cursorAtTime(run: RunTimeline, atMs: number): Cursor {
  const clamped = Math.min(Math.max(atMs, run.startedAtMs), run.endedAtMs);
  return { atMs: clamped, position: positionAt(run.events, clamped) };
}

export const cursorAtStop = (run: RunTimeline, stops: StepStop[], stop: number): Cursor =>
  ({ ...cursorAtTime(run, stops[stop]!.endedAtMs), stop });

/** The step the replay is at or last passed (-1 before the first ended). */
export function currentStop(stops: StepStop[], cursor: Cursor): number {
  if (cursor.stop !== undefined) return cursor.stop;
  let found = -1;
  stops.forEach((s, i) => { if (s.endedAtMs <= cursor.atMs) found = i; });
  return found;
}

/** The step under way at the cursor's time, when the cursor is inside one that took time. */
export function runningStop(stops: StepStop[], cursor: Cursor): number {
  if (cursor.stop !== undefined) return -1;
  return stops.findIndex((s) => s.atMs <= cursor.atMs && cursor.atMs < s.endedAtMs);
}

export function nextStop(stops: StepStop[], cursor: Cursor): number | undefined {
  if (cursor.stop !== undefined) return cursor.stop + 1 < stops.length ? cursor.stop + 1 : undefined;
  const i = stops.findIndex((s) => s.endedAtMs > cursor.atMs);
  return i >= 0 ? i : undefined;
}

export function previousStop(stops: StepStop[], cursor: Cursor): number | undefined {
  if (cursor.stop !== undefined) return cursor.stop > 0 ? cursor.stop - 1 : undefined;
  const i = currentStop(stops, cursor);
  const before = stops[i] && stops[i]!.endedAtMs === cursor.atMs ? i - 1 : i;
  return before >= 0 ? before : undefined;
}

/** The events that happened up to the cursor. */
export const eventsSoFar = (run: RunTimeline, cursor: Cursor): TimelineEvent[] => run.events.slice(0, cursor.position);
