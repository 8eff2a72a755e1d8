/**
 * Where the replay stands: a position in the run's sorted events (how many of them have happened)
 * and the time shown. Steps are the stops: a step's end is the position just before the next
 * step starts, or before the first later event.
 */
import type { RunTimeline, TimelineEvent, TimelineStep } from '../../../scenario/timeline.js';

export interface Cursor {
  /** Events[0..position) have happened. */
  position: number;
  atMs: number;
}

export interface StepStop {
  step: TimelineStep;
  /** Index of the step's own event. */
  eventIndex: number;
  /** The position once the step has ended. */
  endPosition: number;
}

export function stepStops(events: TimelineEvent[]): StepStop[] {
  const stops: StepStop[] = [];
  events.forEach((event, eventIndex) => {
    if (event.type !== 'step') return;
    let end = eventIndex + 1;
    while (end < events.length && events[end]!.type !== 'step' && events[end]!.atMs <= event.endedAtMs) end += 1;
    stops.push({ step: event, eventIndex, endPosition: end });
  });
  return stops;
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

export const cursorAtTime = (run: RunTimeline, atMs: number): Cursor => ({ position: positionAt(run.events, atMs), atMs });

export const cursorAtStop = (run: RunTimeline, stop: StepStop): Cursor => ({
  position: stop.endPosition,
  atMs: Math.max(stop.step.endedAtMs, stop.endPosition > 0 ? run.events[stop.endPosition - 1]!.atMs : run.startedAtMs),
});

/** The stop the cursor is at or last passed (-1 before the first step ended). */
export function currentStop(stops: StepStop[], cursor: Cursor): number {
  let found = -1;
  stops.forEach((stop, i) => { if (stop.endPosition <= cursor.position) found = i; });
  return found;
}

export const nextStop = (stops: StepStop[], cursor: Cursor): StepStop | undefined => stops.find((s) => s.endPosition > cursor.position);

export const previousStop = (stops: StepStop[], cursor: Cursor): StepStop | undefined => stops.filter((s) => s.endPosition < cursor.position).pop();

/** The step running at the cursor, or the last one that ran. */
export function stepAt(stops: StepStop[], cursor: Cursor): StepStop | undefined {
  let found: StepStop | undefined;
  for (const stop of stops) if (stop.eventIndex < cursor.position) found = stop;
  return found;
}

/** The events that happened up to the cursor. */
export const eventsSoFar = (run: RunTimeline, cursor: Cursor): TimelineEvent[] => run.events.slice(0, cursor.position);
