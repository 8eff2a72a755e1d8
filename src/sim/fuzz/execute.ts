/**
 * Plays one history as a scenario on the simulated cluster and judges it: every step played, every
 * expectation held (the finale's convergence after the heal among them), and no final item holds a
 * value nobody wrote. The scenario runner comes in as `play` so the simulated path does not load
 * the real-process targets the runner also knows.
 */
import type { ScenarioReport } from '../../scenario/report.js';
import type { Scenario } from '../../scenario/schema.js';
import type { StartTargets } from '../../scenario/targets.js';
import { checkedSimTargets } from './checkedTargets.js';
import { isFault, isWrite, type History } from './history.js';
import { historyScenario } from './scenario.js';

/** runScenario, as the fuzzer calls it. */
export type PlayScenario = (scenario: Scenario, options: { seed: number; targets: StartTargets; log: (line: string) => void }) => Promise<ScenarioReport>;

export interface RunOutcome {
  seed: number;
  passed: boolean;
  /** What went wrong, one line each (empty when passed). */
  failures: string[];
  traceHash: string;
  writes: number;
  faults: number;
}

export async function playHistory(history: History, play: PlayScenario): Promise<RunOutcome> {
  const problems: string[] = [];
  const report = await play(historyScenario(history), { seed: history.seed, targets: checkedSimTargets(history, problems), log: () => {} });
  const failures = [
    ...report.steps.filter((s) => !s.ok).map((s) => `step ${s.index + 1} ${s.kind} failed: ${s.error}`),
    ...report.expectations.filter((e) => !e.ok).map((e) => `step ${e.step + 1}: ${e.what} — ${e.detail}`),
    ...problems,
  ];
  return {
    seed: history.seed,
    passed: failures.length === 0,
    failures,
    traceHash: report.traceHash ?? '',
    writes: history.steps.filter(isWrite).length,
    faults: history.steps.filter(isFault).length,
  };
}
