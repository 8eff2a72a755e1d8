/**
 * The run at the cursor, in the console's own views folded to that moment: the regions and their
 * links, a table's items per region (cells that differ stand out), the conflicts so far with why
 * each was won, the lag so far; and the steps, with the one reached.
 */
import { useMemo, useState } from 'preact/hooks';
import type { RunTimeline } from '../../../scenario/timeline.js';
import { ConflictFeed, LagChart, RegionGraph, TableView } from '../components/index.js';
import { currentStop, runningStop, type Cursor, type StepStop } from './cursor.js';
import type { RunFolder } from './foldRun.js';
import { failedSteps, runDurationMs, stepCategory } from './marks.js';

export function StepList({ run, stops, cursor, onStop }: { run: RunTimeline; stops: StepStop[]; cursor: Cursor; onStop: (stop: number) => void }) {
  const failed = useMemo(() => failedSteps(run), [run]);
  const done = currentStop(stops, cursor);
  const running = runningStop(stops, cursor);
  return (
    <section class="panel steps">
      <h2>Steps</h2>
      <ol>
        {stops.map(({ step }, i) => {
          const state = i <= done ? 'done' : i === running ? 'running' : 'later';
          return (
            <li class={`${state} ${stepCategory(step.kind)}${failed.has(step.index) ? ' failed' : ''}${i === done ? ' current' : ''}`} onClick={() => onStop(i)} value={step.index + 1}>
              <b>{step.kind}</b> {step.ok ? step.summary : `failed: ${step.error}`}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

export interface StateAtProps {
  run: RunTimeline;
  folder: RunFolder;
  cursor: Cursor;
  stops: StepStop[];
  onStop: (stop: number) => void;
}

export function StateAt({ run, folder, cursor, stops, onStop }: StateAtProps) {
  const state = useMemo(() => folder.at(cursor.position, cursor.atMs), [folder, cursor.position, cursor.atMs]);
  const [chosenTable, setTable] = useState<string | null>(null);
  const table = chosenTable && state.tableNames.includes(chosenTable) ? chosenTable : state.tableNames[0] ?? null;
  return (
    <div class="state-at">
      <div class="column">
        <section class="panel graph"><h2>Regions and links</h2><RegionGraph state={state} /></section>
        <StepList run={run} stops={stops} cursor={cursor} onStop={onStop} />
      </div>
      <div class="column">
        <section class="panel"><TableView state={state} table={table} onSelectTable={setTable} /></section>
        <section class="panel"><LagChart state={state} windowMs={runDurationMs(run) + 1000} height={130} /></section>
      </div>
      <div class="column">
        <section class="panel"><ConflictFeed state={state} /></section>
      </div>
    </div>
  );
}
