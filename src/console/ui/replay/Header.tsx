/** Who ran what: the scenario, its verdict, real or simulated, seed, duration, and how to play it again. */
import { durationText } from '../../../core/conflictExplanation.js';
import type { RunTimeline } from '../../../scenario/timeline.js';

/** A simulated run replays exactly from its seed; a real one plays the same operations with its own timing. */
export function replayCommand(run: RunTimeline): string {
  return run.mode === 'sim'
    ? `globaltables run ${run.file} --sim --seed ${run.seed}`
    : `globaltables run ${run.file} --seed ${run.seed}`;
}

export function Header({ run }: { run: RunTimeline }) {
  const { report } = run;
  return (
    <header class="run-header">
      <h1>{run.scenario}</h1>
      <div class="run-facts">
        <span class={`verdict ${report.passed ? 'passed' : 'failed'}`}>{report.passed ? 'PASSED' : 'FAILED'}</span>
        <span>{run.mode === 'sim' ? 'simulated (virtual time)' : 'real processes'}</span>
        <span>seed {run.seed}</span>
        <span>{durationText(report.durationMs)}{run.mode === 'sim' ? ' virtual' : ''}</span>
        <span>{run.regions.join(', ')}; last-writer-wins per {report.granularity}</span>
      </div>
      <div class="replay-command">
        {run.mode === 'sim' ? 'replay exactly: ' : 'play again (same operations, other timing; --sim replays exactly): '}
        <code>{replayCommand(run)}</code>
      </div>
      {run.changesDropped > 0 && (
        <div class="note">Only the first changes were kept: {run.changesDropped} later ones are left out, so item views lag behind from then on.</div>
      )}
    </header>
  );
}

export function Expectations({ run, onStep }: { run: RunTimeline; onStep: (index: number) => void }) {
  const { expectations, steps } = run.report;
  const failedSteps = steps.filter((s) => !s.ok);
  return (
    <section class="panel expectations">
      <h2>Expectations</h2>
      {!expectations.length && !failedSteps.length && <p class="muted">(none)</p>}
      <ul>
        {expectations.map((e) => (
          <li class={e.ok ? 'ok' : 'bad'} onClick={() => onStep(e.step)} title="show the run at this step">
            <span class="mark">{e.ok ? '✓' : '✗'}</span> step {e.step + 1}{e.line ? ` (line ${e.line})` : ''}: {e.what} — <span class="detail">{e.detail}</span>
          </li>
        ))}
        {failedSteps.map((s) => (
          <li class="bad" onClick={() => onStep(s.index)}>
            <span class="mark">✗</span> step {s.index + 1} {s.kind} failed: {s.error}
          </li>
        ))}
      </ul>
    </section>
  );
}
