/**
 * Moving through the run: previous / next step, a slider over time, play / pause at a chosen
 * speed; ← / → step, space plays, Home / End go to the run's start / end, anywhere on the page.
 */
import { useEffect, useRef } from 'preact/hooks';
import { durationText } from '../../../core/conflictExplanation.js';
import type { RunTimeline } from '../../../scenario/timeline.js';
import { currentStop, nextStop, previousStop, runningStop, type Cursor, type StepStop } from './cursor.js';

export const SPEEDS = [0.1, 0.25, 1, 4, 16, 64];

/** The speed that plays the whole run in about twenty seconds. */
export function defaultSpeed(durationMs: number): number {
  const wanted = durationMs / 20_000;
  return SPEEDS.reduce((best, s) => (Math.abs(Math.log(s / wanted)) < Math.abs(Math.log(best / wanted)) ? s : best));
}

export interface ScrubberProps {
  run: RunTimeline;
  stops: StepStop[];
  cursor: Cursor;
  playing: boolean;
  speed: number;
  onSeek: (atMs: number) => void;
  onStop: (stop: number) => void;
  onPlay: (playing: boolean) => void;
  onSpeed: (speed: number) => void;
}

export function Scrubber(props: ScrubberProps) {
  const { run, stops, cursor, playing, speed, onSeek, onStop, onPlay, onSpeed } = props;
  const latest = useRef(props);
  latest.current = props;
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'SELECT' || target.tagName === 'TEXTAREA' || (target.tagName === 'INPUT' && (target as HTMLInputElement).type !== 'range'))) return;
      const p = latest.current;
      const go = (stop: number | undefined): void => { if (stop !== undefined) p.onStop(stop); };
      if (event.key === 'ArrowRight') go(nextStop(p.stops, p.cursor));
      else if (event.key === 'ArrowLeft') go(previousStop(p.stops, p.cursor));
      else if (event.key === ' ') p.onPlay(!p.playing);
      else if (event.key === 'Home') p.onSeek(p.run.startedAtMs);
      else if (event.key === 'End') p.onSeek(p.run.endedAtMs);
      else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  const running = runningStop(stops, cursor);
  const shown = running >= 0 ? running : currentStop(stops, cursor);
  const step = stops[shown]?.step;
  const previous = previousStop(stops, cursor);
  const next = nextStop(stops, cursor);
  return (
    <div class="scrubber">
      <button type="button" class="prev" disabled={previous === undefined} onClick={() => previous !== undefined && onStop(previous)} title="previous step (←)">◀ step</button>
      <button type="button" class="play" onClick={() => onPlay(!playing)} title="play / pause (space)">{playing ? '❚❚ pause' : '▶ play'}</button>
      <button type="button" class="next" disabled={next === undefined} onClick={() => next !== undefined && onStop(next)} title="next step (→)">step ▶</button>
      <input type="range" class="slider" min={run.startedAtMs} max={run.endedAtMs} step={1} value={cursor.atMs}
        onInput={(e) => onSeek(Number((e.currentTarget as HTMLInputElement).value))} aria-label="time" />
      <span class="clock">{durationText(Math.round(cursor.atMs - run.startedAtMs))} / {durationText(run.endedAtMs - run.startedAtMs)}</span>
      <select value={String(speed)} onChange={(e) => onSpeed(Number((e.currentTarget as HTMLSelectElement).value))} aria-label="speed">
        {SPEEDS.map((s) => <option value={String(s)}>{s}×</option>)}
      </select>
      <div class="now">
        {step
          ? <>step {step.index + 1}/{stops.length} <b>{step.kind}</b>{running >= 0 ? ' (under way)' : ''}: {step.ok ? step.summary : step.error}</>
          : 'before the first step'}
      </div>
    </div>
  );
}
