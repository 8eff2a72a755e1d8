/**
 * `globaltables run <scenario.yaml> [--sim] [--seed N] [--json out.json] [--html report.html]`: plays
 * a scenario, on real processes or (--sim) simulated on virtual time; exit 0 when every expectation holds.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadScenario, ScenarioError } from '../scenario/load.js';
import { renderReport } from '../scenario/report.js';
import { TimelineRecorder } from '../scenario/timeline.js';
import { runScenario } from '../scenario/runner.js';
import { RegionStartError } from '../scenario/cluster.js';
import type { StartTargets } from '../scenario/targets.js';
import { UsageError } from './region.js';

const USAGE = 'globaltables run scenarios/<name>.yaml [--sim] [--seed N] [--json out.json] [--html report.html]';

/**
 * The simulator loads only when asked for, so a real run never loads it. The specifier is computed
 * because the module is built separately: typecheck does not depend on it being there.
 */
const SIMULATOR_MODULE = '../sim/scenarioTargets.js';

async function simulatedTargets(): Promise<StartTargets> {
  const { startSimTargets } = await import(SIMULATOR_MODULE) as { startSimTargets: StartTargets };
  return startSimTargets;
}

export async function runScenarioCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { seed: { type: 'string' }, json: { type: 'string' }, html: { type: 'string' }, sim: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError(`run needs one scenario file: ${USAGE}`);
  if (values.seed !== undefined && !/^\d+$/.test(values.seed)) throw new UsageError(`--seed must be a non-negative integer (got ${values.seed})`);
  let scenario;
  try {
    scenario = loadScenario(positionals[0]);
  } catch (error) {
    if (error instanceof ScenarioError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw new UsageError(`cannot read ${positionals[0]}: ${(error as Error).message}`);
  }
  // Only a run asked for its HTML report records a timeline: any other run plays exactly as before.
  const timeline = values.html ? new TimelineRecorder(scenario) : undefined;
  let report;
  try {
    report = await runScenario(scenario, {
      ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
      ...(values.sim ? { targets: await simulatedTargets() } : {}),
      ...(timeline ? { observer: timeline } : {}),
    });
  } catch (error) {
    // The scenario never got going (a region did not start): say why, without a stack trace.
    if (!(error instanceof RegionStartError)) throw error;
    process.stderr.write(`globaltables run: ${error.message}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`\n${renderReport(report)}\n`);
  if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  // Written whether the run passed or not: a failed run is the one people want to step through.
  if (values.html && timeline) {
    // Loaded only here: the page's bundler has no business in any other run.
    const { writeHtmlReport } = await import('../scenario/htmlReport.js');
    await writeHtmlReport(values.html, timeline.timeline(report));
    process.stdout.write(`HTML report: ${values.html}\n`);
  }
  process.exitCode = report.passed ? 0 : 1;
}
