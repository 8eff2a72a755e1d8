/**
 * `globaltables fuzz [--seed N] [--runs R] [--regions K] [--ops M] [--granularity item|attribute]
 * [--clock hlc|wall] [--out DIR]`: plays R random histories of writes and faults on the simulated
 * cluster; each must converge after its final heal, with no value nobody wrote. A failing history
 * is written as a scenario file, shrunk to the fewest steps that still fail, replayable by its seed.
 * The last line is always `seed=N runs=R failures=F hash=<hex>`.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runScenario } from '../scenario/runner.js';
import { playHistory, type PlayScenario, type RunOutcome } from '../sim/fuzz/execute.js';
import { generateHistory, runSeed, type GenerateOptions } from '../sim/fuzz/generate.js';
import type { History } from '../sim/fuzz/history.js';
import { scenarioYaml } from '../sim/fuzz/scenario.js';
import { shrinkHistory } from '../sim/fuzz/shrink.js';
import { TraceHash } from '../sim/trace.js';
import { UsageError } from './region.js';

const USAGE = 'globaltables fuzz [--seed N] [--runs R] [--regions K] [--ops M] [--granularity item|attribute] [--clock hlc|wall] [--out DIR]';

export interface FuzzCommandOptions {
  /** Output lines (default: stdout). */
  write?: (line: string) => void;
  /** Plays one scenario (default: the scenario runner); tests inject failures here. */
  play?: PlayScenario;
}

function wholeNumber(name: string, value: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < min || parsed > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got ${value})`);
  return parsed;
}

function choice<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T {
  if (value === undefined) return allowed[0];
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got ${value})`);
  return value as T;
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      seed: { type: 'string' }, runs: { type: 'string' }, regions: { type: 'string' }, ops: { type: 'string' },
      granularity: { type: 'string' }, clock: { type: 'string' }, out: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length) throw new UsageError(`fuzz takes no file: ${USAGE}`);
  const generate: GenerateOptions = {
    regions: wholeNumber('regions', values.regions, 3, 1, 6),
    ops: wholeNumber('ops', values.ops, 50, 1, 10_000),
    granularity: choice('granularity', values.granularity, ['item', 'attribute'] as const),
    clockMode: choice('clock', values.clock, ['hlc', 'wall'] as const),
  };
  return {
    seed: values.seed === undefined ? undefined : wholeNumber('seed', values.seed, 0, 0),
    runs: wholeNumber('runs', values.runs, 100, 1),
    out: values.out ?? '.',
    generate,
  };
}

/** Writes the failing history, shrinks it, writes the smallest one over it; returns the file. */
async function recordFailure(history: History, outcome: RunOutcome, play: PlayScenario, outDir: string, write: (line: string) => void): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `fuzz-failure-${history.seed}.yaml`);
  const replay = `globaltables run --sim ${file} --seed ${history.seed}`;
  const notes = (kept: History, failures: string[], shrunkFrom?: number): string[] => [
    `A history globaltables fuzz found failing${shrunkFrom !== undefined ? `, shrunk from ${shrunkFrom} to ${kept.steps.length} steps` : ''}.`,
    `Replay: ${replay}`,
    'Failures (checks on values written run in the fuzzer only, after the report):',
    ...failures.map((f) => `  ${f}`),
  ];
  writeFileSync(file, scenarioYaml(history, notes(history, outcome.failures)));
  write(`  failing history written to ${file}; shrinking…`);
  let lastFailures = outcome.failures;
  const { history: shrunk, attempts } = await shrinkHistory(history, async (candidate) => {
    const result = await playHistory(candidate, play);
    if (!result.passed) lastFailures = result.failures;
    return !result.passed;
  });
  // The failures of the shrunk history itself, as its replay shows them.
  const final = shrunk === history ? outcome : await playHistory(shrunk, play);
  lastFailures = final.passed ? lastFailures : final.failures;
  writeFileSync(file, scenarioYaml(shrunk, notes(shrunk, lastFailures, history.steps.length)));
  write(`  shrunk to ${shrunk.steps.length} of ${history.steps.length} steps in ${attempts} tries: ${file}`);
  for (const failure of lastFailures.slice(0, 5)) write(`    ${failure}`);
  write(`  replay: ${replay}`);
  return file;
}

/** Runs the command; returns its exit code (0: no failures, 1: some). */
export async function runFuzzCommand(argv: string[], options: FuzzCommandOptions = {}): Promise<number> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const play = options.play ?? runScenario;
  const parsed = parse(argv);
  // The session's seed is the one thing chosen at random, and it is printed first.
  const seed = parsed.seed ?? randomInt(0, 2 ** 31);
  const { runs, generate } = parsed;
  write(`fuzz: seed ${seed}${parsed.seed === undefined ? ' (random; --seed repeats it)' : ''}, ${runs} runs of ${generate.ops} steps, ${generate.regions} regions, ${generate.clockMode} clocks, last-writer-wins per ${generate.granularity}`);
  const combined = new TraceHash();
  let failures = 0;
  for (let index = 0; index < runs; index += 1) {
    const history = generateHistory(runSeed(seed, index), generate);
    const outcome = await playHistory(history, play);
    combined.add(outcome.traceHash);
    if (!outcome.passed) failures += 1;
    write(`run ${index + 1}/${runs} seed=${history.seed} ops=${history.steps.length} writes=${outcome.writes} faults=${outcome.faults} ${outcome.passed ? 'pass' : 'FAIL'} trace=${outcome.traceHash}`);
    if (!outcome.passed) await recordFailure(history, outcome, play, parsed.out, write);
  }
  write(`seed=${seed} runs=${runs} failures=${failures} hash=${combined.hex()}`);
  return failures ? 1 : 0;
}
