/**
 * The run at a glance, in SVG over true time: steps as segments by kind, faults, conflicts and
 * crashes as markers, divergence windows shaded, a lag line per pair; the cursor shows where the
 * replay stands, and a click moves it.
 */
import { useMemo, useState } from 'preact/hooks';
import { durationText } from '../../../core/conflictExplanation.js';
import type { RunTimeline } from '../../../scenario/timeline.js';
import type { ConflictGroup } from '../state/index.js';
import { stepAxis, timeAxis, type AxisMode } from './axis.js';
import type { Cursor, StepStop } from './cursor.js';
import { divergenceWindows, failedSteps, faultsIn, lagSeries, regionChanges, runDurationMs, stepCategory, tickStepMs } from './marks.js';

const AXIS = 18;
const STEPS = 24;
const MARKS = 20;
const LAG_ROW = 16;

/** What the strip's colours and marks mean. */
export function StripLegend() {
  return (
    <div class="legend">
      {(['data', 'fault', 'check', 'table', 'sleep'] as const).map((c) => (
        <span><span class={`swatch ${c}`} />{{ data: 'reads and writes', fault: 'faults', check: 'checks', table: 'tables', sleep: 'sleep' }[c]}</span>
      ))}
      <span><span class="swatch divergence" />replicas differ</span>
      <span>▲ fault in a region · ◆ conflict · ✕ crash · ● restart</span>
      <span>lines: lag of each applied change, per source → target</span>
    </div>
  );
}

export interface TimelineStripProps {
  run: RunTimeline;
  stops: StepStop[];
  /** Every conflict of the run, as the console's state groups them (one per pair of writes). */
  conflicts: ConflictGroup[];
  cursor: Cursor;
  onSeek: (atMs: number) => void;
}

export function TimelineStrip({ run, stops, conflicts, cursor, onSeek }: TimelineStripProps) {
  const [mode, setMode] = useState<AxisMode>('time');
  const duration = runDurationMs(run);
  const { lags, faults, regions, windows, failed, axes } = useMemo(() => ({
    lags: lagSeries(run.events), faults: faultsIn(run.events), regions: regionChanges(run.events), windows: divergenceWindows(run.events),
    failed: failedSteps(run), axes: { time: timeAxis(run), steps: stepAxis(run, stops) },
  }), [run, stops]);
  const axis = axes[mode];
  const pct = (atMs: number): string => `${axis.at(atMs) * 100}%`;
  const span = (fromMs: number, toMs: number): string => `${(axis.at(toMs) - axis.at(fromMs)) * 100}%`;
  const maxLag = Math.max(1, ...lags.flatMap((s) => s.points.map((p) => p.lagMs)));
  const height = AXIS + STEPS + MARKS + lags.length * LAG_ROW + 4;
  const tick = tickStepMs(duration);
  const ticks = mode === 'time'
    ? Array.from({ length: Math.floor(duration / tick) + 1 }, (_, i) => ({ x: pct(run.startedAtMs + i * tick), label: durationText(i * tick) }))
    : stops.filter((_, i) => i % Math.ceil(stops.length / 40) === 0).map(({ step }) => ({ x: `${(stops.findIndex((s) => s.step === step) / stops.length) * 100}%`, label: String(step.index + 1) }));
  const seek = (event: MouseEvent): void => {
    const box = (event.currentTarget as SVGSVGElement).getBoundingClientRect();
    onSeek(axis.timeAt((event.clientX - box.left) / box.width));
  };
  // From the start of one step's slot to the end of another's.
  const slots = (fromStep: number, toStep: number): { x: string; width: string } => {
    const from = stops.findIndex((s) => s.step.index === fromStep);
    const to = stops.findIndex((s) => s.step.index === toStep);
    return { x: `${(from / stops.length) * 100}%`, width: `${((to - from + 1) / stops.length) * 100}%` };
  };
  // Stopped at a step, the cursor stands at the end of the step's slot (steps may share their ms).
  const cursorX = mode === 'steps' && cursor.stop !== undefined ? `${((cursor.stop + 1) / stops.length) * 100}%` : pct(cursor.atMs);
  const marksY = AXIS + STEPS;
  return (
    <div class="strip-box">
      <div class="strip-axis" role="group" aria-label="strip axis">
        <button type="button" aria-pressed={mode === 'time'} onClick={() => setMode('time')}>true time</button>
        <button type="button" aria-pressed={mode === 'steps'} onClick={() => setMode('steps')}>step by step</button>
      </div>
      <svg class="strip" width="100%" height={height} onClick={seek} role="img" aria-label="timeline of the run">
        {windows.map((d) => (
          <rect class="divergence" y={AXIS} height={height - AXIS} {...(mode === 'steps' ? slots(d.fromStep, d.toStep) : { x: pct(d.fromMs), width: span(d.fromMs, d.toMs) })}>
            <title>replicas differed from step {d.fromStep + 1} to step {d.toStep + 1}: {durationText(d.toMs - d.fromMs)}</title>
          </rect>
        ))}
        {ticks.map((t) => (
          <g>
            <line class="tick" x1={t.x} x2={t.x} y1={AXIS - 4} y2={height} />
            <text class="tick-label" x={t.x} y={AXIS - 6}>{t.label}</text>
          </g>
        ))}
        {stops.map(({ step }, i) => (
          <rect class={`step ${stepCategory(step.kind)}${failed.has(step.index) ? ' failed' : ''}`} y={AXIS + 3} height={STEPS - 6}
            x={mode === 'steps' ? `${(i / stops.length) * 100}%` : pct(step.atMs)}
            style={{ width: mode === 'steps' ? `calc(${100 / stops.length}% - 1px)` : `max(2px, ${span(step.atMs, step.endedAtMs)})` }}>
            <title>step {step.index + 1} {step.kind}: {step.ok ? step.summary : step.error} ({durationText(step.endedAtMs - step.atMs)})</title>
          </rect>
        ))}
        {faults.map((f) => (
          <text class="mark fault" x={pct(f.atMs)} y={marksY + 14}>▲<title>{f.region}: {f.text}</title></text>
        ))}
        {regions.map((r) => (
          <text class={`mark ${r.up ? 'restart' : 'crash'}`} x={pct(r.atMs)} y={marksY + 14}>{r.up ? '●' : '✕'}<title>{r.region} {r.up ? 'restarted' : 'crashed'}</title></text>
        ))}
        {conflicts.map((c) => (
          <text class="mark conflict" x={pct(c.firstAtMs)} y={marksY + 14}>◆<title>conflict on {c.table}: {c.explanation}</title></text>
        ))}
        {lags.map((series, i) => {
          const rowY = marksY + MARKS + i * LAG_ROW;
          const x = (atMs: number): number => axis.at(atMs) * 1000;
          const y = (lagMs: number): number => LAG_ROW - 2 - (lagMs / maxLag) * (LAG_ROW - 4);
          const points = series.points.map((p) => `${x(p.atMs)},${y(p.lagMs)}`).join(' ');
          const worst = Math.max(...series.points.map((p) => p.lagMs));
          return (
            <g>
              <svg x="0" y={rowY} width="100%" height={LAG_ROW} viewBox={`0 0 1000 ${LAG_ROW}`} preserveAspectRatio="none">
                <polyline class="lag" points={points} />
                {series.points.map((p) => <line class="lag-spike" x1={x(p.atMs)} x2={x(p.atMs)} y1={LAG_ROW - 1} y2={y(p.lagMs)} />)}
              </svg>
              <text class="lag-label" x="4" y={rowY + LAG_ROW - 4}>{series.source} → {series.target} (max {durationText(worst)})</text>
            </g>
          );
        })}
        <line class="cursor" x1={cursorX} x2={cursorX} y1={0} y2={height} />
      </svg>
    </div>
  );
}
