/**
 * Where the replay stands: a time, how many of the run's events happened by then, and, when the
 * replay stopped at a step, which one. Steps that took no time (in a simulation most writes take
 * none) share their moment, so a step's stop is a position in the events: everything recorded
 * before the next step started.
 */
import type { RunTimeline, TimelineEvent, TimelineStep } from '../../../scenario/timeline.js';

export interface Cursor {
  atMs: number;
  /** Events[0..position) have happened. */
  position: number;
  /** The step the replay stopped after, when it did (index into the stops). */
  stop?: number;
}

export interface StepStop {
  step: TimelineStep;
  /** The position of the step's own event. */
  startPosition: number;
  /** The position once it ended. */
  endPosition: number;
}

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

export function stepStops(events: TimelineEvent[]): StepStop[] {
  const starts: { step: TimelineStep; startPosition: number }[] = [];
  events.forEach((e, i) => { if (e.type === 'step') starts.push({ step: e, startPosition: i }); });
  return starts.map((s, i) => ({ ...s, endPosition: starts[i + 1]?.startPosition ?? positionAt(events, s.step.endedAtMs) }));
}

export function cursorAtTime(run: RunTimeline, atMs: number): Cursor {
  const clamped = Math.min(Math.max(atMs, run.startedAtMs), run.endedAtMs);
  return { atMs: clamped, position: positionAt(run.events, clamped) };
}

export const cursorAtStop = (stops: StepStop[], stop: number): Cursor =>
  ({ atMs: stops[stop]!.step.endedAtMs, position: stops[stop]!.endPosition, stop });

/** The step the replay is at or last passed (-1 before the first ended). */
export function currentStop(stops: StepStop[], cursor: Cursor): number {
  if (cursor.stop !== undefined) return cursor.stop;
  let found = -1;
  stops.forEach((s, i) => { if (s.step.endedAtMs <= cursor.atMs) found = i; });
  return found;
}

/** The step under way at the cursor's time, when the cursor is inside one that took time. */
export function runningStop(stops: StepStop[], cursor: Cursor): number {
  if (cursor.stop !== undefined) return -1;
  return stops.findIndex((s) => s.step.atMs <= cursor.atMs && cursor.atMs < s.step.endedAtMs);
}

export function nextStop(stops: StepStop[], cursor: Cursor): number | undefined {
  if (cursor.stop !== undefined) return cursor.stop + 1 < stops.length ? cursor.stop + 1 : undefined;
  const i = stops.findIndex((s) => s.step.endedAtMs > cursor.atMs);
  return i >= 0 ? i : undefined;
}

export function previousStop(stops: StepStop[], cursor: Cursor): number | undefined {
  if (cursor.stop !== undefined) return cursor.stop > 0 ? cursor.stop - 1 : undefined;
  const i = currentStop(stops, cursor);
  const before = stops[i] && stops[i]!.step.endedAtMs === cursor.atMs ? i - 1 : i;
  return before >= 0 ? before : undefined;
}
