/** The run at the cursor: the steps so far, and what the regions held then. */
import type { RunTimeline } from '../../../scenario/timeline.js';
import { currentStop, runningStop, type Cursor, type StepStop } from './cursor.js';
import { stepCategory } from './marks.js';

export function StepList({ stops, cursor, onStop }: { stops: StepStop[]; cursor: Cursor; onStop: (stop: number) => void }) {
  const done = currentStop(stops, cursor);
  const running = runningStop(stops, cursor);
  return (
    <section class="panel steps">
      <h2>Steps</h2>
      <ol>
        {stops.map((step, i) => {
          const state = i <= done ? 'done' : i === running ? 'running' : 'later';
          return (
            <li class={`${state} ${stepCategory(step.kind)}${step.ok ? '' : ' failed'}${i === done ? ' current' : ''}`} onClick={() => onStop(i)} value={step.index + 1}>
              <b>{step.kind}</b> {step.ok ? step.summary : `failed: ${step.error}`}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

export function StateAt({ run, cursor, stops, onStop }: { run: RunTimeline; cursor: Cursor; stops: StepStop[]; onStop: (stop: number) => void }) {
  return (
    <div class="state-at">
      <div class="state-main" data-events={cursor.position} data-run={run.scenario} />
      <StepList stops={stops} cursor={cursor} onStop={onStop} />
    </div>
  );
}
