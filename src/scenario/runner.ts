/**
 * Plays a scenario: starts its targets (real processes, or a simulation), runs the steps in order with
 * progress, checks, builds the report, cleans up. Time comes only from the targets, so a simulated run's
 * progress and report are in virtual ms and replay exactly.
 */
import { ScenarioStepError, seededRandom, type RunContext } from './context.js';
import { startRealTargets } from './realTargets.js';
import { Recorder, type StepResult } from './recorder.js';
import { buildReport, type ScenarioReport } from './report.js';
import type { Scenario, Step } from './schema.js';
import type { ScenarioTargets, StartTargets } from './targets.js';
import { get, query, write } from './steps/data.js';
import { addReplica, createTable, enableTtl, removeReplica } from './steps/tables.js';
import { clockJump, clockSkew, crashNats, crashRegion, heal, latency, networkFaults, partition, pause, restartNats, restartRegion } from './steps/faults.js';
import { expect, waitConverged } from './steps/checks.js';
import { transact } from './steps/transact.js';
import { workload } from './steps/workload.js';

export interface RunOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Progress lines (default: stdout). */
  log?: (line: string) => void;
  /** Starts what the scenario plays against (default: real processes). */
  targets?: StartTargets;
  /** Watches the run as it plays (the HTML report's timeline); a run without one is unchanged. */
  observer?: RunObserver;
}

/** Told when the run starts, as each step starts and ends, and before the targets stop; times are the targets' true time. */
export interface RunObserver {
  /** The targets are up and the first step is next; the run waits for this to resolve. */
  started(targets: ScenarioTargets, atMs: number): Promise<void>;
  stepStarted(index: number, atMs: number): void;
  /** The step ended (ran or failed) result.ms after it started. */
  stepEnded(result: StepResult): void;
  /** The last thing before the targets stop, whether the run finished, failed or threw. */
  finished(atMs: number): Promise<void>;
}

function execute(ctx: RunContext, step: Step): Promise<string> {
  const { index, line } = step;
  switch (step.kind) {
    case 'createTable': return createTable(ctx, step.args);
    case 'addReplica': return addReplica(ctx, step.args);
    case 'removeReplica': return removeReplica(ctx, step.args);
    case 'enableTtl': return enableTtl(ctx, step.args, index);
    case 'put': return write(ctx, 'put', step.args, index);
    case 'update': return write(ctx, 'update', step.args, index);
    case 'delete': return write(ctx, 'delete', step.args, index);
    case 'transact': return transact(ctx, step.args, index);
    case 'get': return get(ctx, step.args, index, line);
    case 'query': return query(ctx, step.args, index, line);
    case 'workload': return workload(ctx, step.args, index);
    case 'latency': return latency(ctx, step.args, index);
    case 'networkFaults': return networkFaults(ctx, step.args, index);
    case 'partition': return partition(ctx, step.args, index);
    case 'heal': return heal(ctx, step.args, index);
    case 'crashRegion': return crashRegion(ctx, step.args, index);
    case 'restartRegion': return restartRegion(ctx, step.args, index);
    case 'crashNats': return crashNats(ctx, step.args, index);
    case 'restartNats': return restartNats(ctx, step.args, index);
    case 'clockSkew': return clockSkew(ctx, step.args, index);
    case 'clockJump': return clockJump(ctx, step.args, index);
    case 'sleep': return pause(ctx, step.args);
    case 'waitConverged': return waitConverged(ctx, step.args, index);
    case 'expect': return expect(ctx, step.args, index, line);
  }
}

async function runSteps(ctx: RunContext, observer?: RunObserver): Promise<void> {
  const { scenario, recorder, targets, log } = ctx;
  const done = (result: StepResult): void => {
    recorder.steps.push(result);
    observer?.stepEnded(result);
  };
  for (const step of scenario.steps) {
    const stepStart = targets.nowMs();
    observer?.stepStarted(step.index, stepStart);
    const where = `[${step.index + 1}/${scenario.steps.length}] ${step.kind}`;
    try {
      const summary = await execute(ctx, step);
      const tookMs = targets.nowMs() - stepStart;
      const failed = recorder.expectations.some((e) => e.step === step.index && !e.ok);
      done({ index: step.index, kind: step.kind, line: step.line, summary, ms: tookMs, ok: true });
      log(`${where.padEnd(22)} ${failed ? '✗' : '✓'} ${summary} (${tookMs} ms)`);
    } catch (error) {
      const message = error instanceof ScenarioStepError ? error.message : (error as Error).message;
      done({ index: step.index, kind: step.kind, line: step.line, summary: '', ms: targets.nowMs() - stepStart, ok: false, error: message });
      log(`${where.padEnd(22)} ✗ ${message}`);
      log('stopping here: later steps depend on this one');
      return;
    }
  }
}

/** Whatever ends this process, no region or nats-server is left behind; returns the undo. */
function killOnExit(targets: ScenarioTargets, log: (line: string) => void): () => void {
  const onExit = (): void => targets.killNow();
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`\n${signal}: stopping the scenario's regions`);
    targets.killNow();
    process.exit(130);
  };
  process.on('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<ScenarioReport> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const seed = options.seed ?? scenario.seed;
  const startTargets = options.targets ?? startRealTargets;
  log(`scenario: ${scenario.name} (${scenario.file}), seed ${seed}`);
  log(`starting ${scenario.regions.map((r) => r.name).join(', ')}…`);
  const targets = await startTargets(scenario, seed);
  const undoKillOnExit = killOnExit(targets, log);
  try {
    log(targets.mode === 'sim' ? 'simulated: one process, virtual time (all times below are virtual ms)' : 'real: each region its own process and nats-server');
    const recorder = new Recorder(() => targets.nowMs());
    const ctx: RunContext = { scenario, targets, recorder, random: seededRandom(seed), keyNames: new Map(), replicas: new Map(), log };
    return await targets.drive(async () => {
      // From here, as the steps see it: in a simulation virtual time starts with the work.
      if (options.observer) await options.observer.started(targets, targets.nowMs());
      const startedAt = targets.nowMs();
      await runSteps(ctx, options.observer);
      return buildReport(ctx, seed, targets.nowMs() - startedAt);
    });
  } finally {
    await options.observer?.finished(targets.nowMs());
    undoKillOnExit();
    await targets.stop();
  }
}
