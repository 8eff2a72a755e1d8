/**
 * The fuzzer: its command prints progress and the exact final line, one seed gives one hash, a
 * generated history round-trips through YAML to a scenario the loader accepts, and shrinking keeps
 * only what a failure needs (tested with injected failures, not a real bug).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFuzzCommand } from '../../src/cli/fuzz.js';
import { loadScenario, parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/runner.js';
import { playHistory, type PlayScenario } from '../../src/sim/fuzz/execute.js';
import { startSimTargets } from '../../src/sim/scenarioTargets.js';
import { SIM_EPOCH_MS } from '../../src/sim/cluster.js';
import { EXPIRY_AHEAD_S, EXPIRY_BEHIND_S, generateHistory, runSeed } from '../../src/sim/fuzz/generate.js';
import { argsOf, kindOf, TTL_ATTRIBUTE, type History, type StepData } from '../../src/sim/fuzz/history.js';
import { playModel } from '../../src/sim/fuzz/model.js';
import { historyScenario, scenarioDocument, scenarioYaml } from '../../src/sim/fuzz/scenario.js';
import { checkedSimTargets } from '../../src/sim/fuzz/checkedTargets.js';
import { shrinkHistory } from '../../src/sim/fuzz/shrink.js';
import { unwrittenValues, writtenValues } from '../../src/sim/fuzz/values.js';

const OPTIONS = { regions: 3, ops: 40, granularity: 'item', clockMode: 'hlc' } as const;
const FINAL_LINE = /^seed=(\d+) runs=(\d+) failures=(\d+) hash=([0-9a-f]{16})$/;
const outDir = mkdtempSync(join(tmpdir(), 'fuzz-test-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

async function fuzz(argv: string[], play?: PlayScenario): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runFuzzCommand([...argv, '--out', outDir], { write: (line) => lines.push(line), ...(play ? { play } : {}) });
  return { code, lines };
}

const crashesRegion = (history: Pick<History, 'steps'>, region: string): boolean =>
  history.steps.some((s) => kindOf(s) === 'crashRegion' && argsOf(s).region === region);

describe('globaltables fuzz', () => {
  it('passes a pinned seed and ends with the summary line', async () => {
    const { code, lines } = await fuzz(['--seed', '7', '--runs', '3', '--ops', '30']);
    expect(code, lines.join('\n')).toBe(0);
    expect(lines.filter((l) => /^run \d+\/3 seed=\d+ ops=30 writes=\d+ faults=\d+ pass/.test(l))).toHaveLength(3);
    expect(lines.at(-1)).toMatch(FINAL_LINE);
    expect(FINAL_LINE.exec(lines.at(-1)!)!.slice(1, 4)).toEqual(['7', '3', '0']);
  });

  it('prints the same hash for the same seed, another for another seed', async () => {
    const args = ['--runs', '2', '--ops', '25', '--granularity', 'attribute', '--clock', 'wall'];
    const first = (await fuzz(['--seed', '123', ...args])).lines.at(-1);
    const second = (await fuzz(['--seed', '123', ...args])).lines.at(-1);
    const other = (await fuzz(['--seed', '124', ...args])).lines.at(-1);
    expect(second).toBe(first);
    expect(FINAL_LINE.exec(other!)![4]).not.toBe(FINAL_LINE.exec(first!)![4]);
  });

  it('writes a failing history as a shrunk scenario file and exits 1', async () => {
    // An injected failure: every history that crashes eu-west-1 "fails" (its report gets a failed expectation).
    const play: PlayScenario = async (scenario, options) => {
      const report = await runScenario(scenario, options);
      const crashes = scenario.steps.some((s) => s.kind === 'crashRegion' && s.args.region === 'eu-west-1');
      return crashes ? { ...report, passed: false, expectations: [...report.expectations, { step: 0, what: 'injected', ok: false, detail: 'crashed eu-west-1' }] } : report;
    };
    let found: { code: number; lines: string[] } | undefined;
    for (const seed of [1, 2, 3, 4, 5]) {
      found = await fuzz(['--seed', String(seed), '--runs', '1', '--ops', '40'], play);
      if (found.code === 1) break;
    }
    expect(found!.code, found!.lines.join('\n')).toBe(1);
    const replay = found!.lines.find((l) => l.includes('replay: globaltables run --sim'))!;
    const [, file, seed] = /run --sim (\S+) --seed (\d+)/.exec(replay)!;
    expect(file).toBe(join(outDir, `fuzz-failure-${seed}.yaml`));
    const scenario = loadScenario(file);
    expect(scenario.seed).toBe(Number(seed));
    // Shrunk to the one step the failure needs, between the fixed prologue and finale.
    const body = scenario.steps.filter((s) => !['createTable', 'enableTtl', 'restartRegion', 'heal', 'waitConverged', 'expect'].includes(s.kind));
    expect(body.map((s) => `${s.kind} ${'region' in s.args ? s.args.region : ''}`)).toEqual(['crashRegion eu-west-1']);
    expect(readFileSync(file, 'utf8')).toContain(`# Replay: globaltables run --sim ${file} --seed ${seed}`);
    expect(found!.lines.at(-1)).toMatch(/^seed=\d+ runs=1 failures=1 hash=[0-9a-f]{16}$/);
  });

  it('refuses options out of range', async () => {
    await expect(runFuzzCommand(['--regions', '9'])).rejects.toThrow(/--regions must be a whole number from 1 to 6/);
    await expect(runFuzzCommand(['--clock', 'sundial'])).rejects.toThrow(/--clock must be one of hlc, wall/);
  });
});

describe('fuzz histories', () => {
  it('round-trip through YAML to a scenario the loader accepts, step for step', () => {
    for (const seed of [1, 2, 3]) {
      const history = generateHistory(seed, { ...OPTIONS, regions: 4 });
      const text = scenarioYaml(history, ['a note']);
      const scenario = parseScenario(text, 'generated.yaml');
      expect(scenario.seed).toBe(seed);
      expect(scenario.regions.map((r) => r.name)).toEqual(history.regions.map((r) => r.name));
      // createTable and enableTtl first, then the history's steps in order, then the finale.
      expect(scenario.steps.slice(0, 2).map((s) => s.kind)).toEqual(['createTable', 'enableTtl']);
      expect(scenario.steps.slice(2, 2 + history.steps.length).map((s) => s.kind)).toEqual(history.steps.map(kindOf));
      expect(scenario.steps.at(-1)!.kind).toBe('expect');
    }
  });

  it('replay from their file exactly as the fuzzer played them (one trace hash)', async () => {
    const history = generateHistory(5, OPTIONS);
    const file = join(outDir, 'replay.yaml');
    writeFileSync(file, scenarioYaml(history));
    const played = await playHistory(history, runScenario);
    const replayed = await runScenario(loadScenario(file), { seed: history.seed, targets: startSimTargets, log: () => {} });
    expect(played.passed, played.failures.join('\n')).toBe(true);
    expect(replayed.passed).toBe(true);
    expect(replayed.traceHash).toBe(played.traceHash);
  });

  it('have their final items read in every region by the written-value check', async () => {
    const history = generateHistory(5, OPTIONS);
    const problems: string[] = [];
    // Judged against a ledger of no writes at all, every item the regions hold is a problem.
    await runScenario(historyScenario(history), { seed: history.seed, targets: checkedSimTargets({ ...history, steps: [] }, problems), log: () => {} });
    const regionsWithItems = new Set(problems.map((p) => p.split(':')[0]));
    expect(regionsWithItems).toEqual(new Set(history.regions.map((r) => r.name)));
    expect(problems.every((p) => p.includes('but no put or update wrote that key'))).toBe(true);
  });

  it('are the same for one seed and playable as drawn', () => {
    expect(generateHistory(9, OPTIONS)).toEqual(generateHistory(9, OPTIONS));
    expect(generateHistory(9, OPTIONS)).not.toEqual(generateHistory(10, OPTIONS));
    for (let seed = 0; seed < 50; seed += 1) expect(playModel(generateHistory(seed, { ...OPTIONS, ops: 80 }))).toBeDefined();
  });

  it('name every value their writes can leave, and nothing else', () => {
    const history: History = {
      seed: 1, granularity: 'item', regions: [{ name: 'us-east-1', clock: { mode: 'hlc', skewMs: 0 } }], steps: [
        { put: { region: 'us-east-1', table: 'fuzz', item: { pk: 'k0', a: 'a-1' } } },
        { update: { region: 'us-east-1', table: 'fuzz', key: { pk: 'k0' }, set: { b: 'b-2' }, add: { n: 2 } } },
        { update: { region: 'us-east-1', table: 'fuzz', key: { pk: 'k0' }, add: { n: 5 } } },
        { put: { region: 'us-east-1', table: 'fuzz', item: { pk: 'k1', a: 'a-3' }, condition: 'x', expectError: 'ConditionalCheckFailedException' } },
      ],
    };
    const ledger = writtenValues(history);
    expect(unwrittenValues(ledger, 'r', [{ pk: 'k0', a: 'a-1', b: 'b-2', n: 7 }, { pk: 'k0', n: 5 }])).toEqual([]);
    expect(unwrittenValues(ledger, 'r', [{ pk: 'k0', a: 'b-2', n: 4 }, { pk: 'k1', a: 'a-3' }])).toEqual([
      'r: k0.a = "b-2" was never written there',
      'r: k0.n = 4 is no sum of the deltas ADDed to it',
      'r: item k1 exists, but no put or update wrote that key',
    ]);
  });
});

describe('shrinking', () => {
  it('keeps only the steps an injected failure needs', async () => {
    const region = 'eu-west-1';
    // The failure: a crash of one region followed (anywhere later) by a put in another.
    const fails = (h: History): boolean => {
      const crash = h.steps.findIndex((s) => kindOf(s) === 'crashRegion' && argsOf(s).region === region);
      return crash >= 0 && h.steps.slice(crash + 1).some((s) => kindOf(s) === 'put' && argsOf(s).region !== region);
    };
    // The first seed (deterministically) whose history has that failure.
    const seed = Array.from({ length: 100 }, (_, i) => i).find((s) => fails(generateHistory(s, { ...OPTIONS, ops: 60 })))!;
    const history = generateHistory(seed, { ...OPTIONS, ops: 60 });
    expect(history.steps.length).toBe(60);
    const { history: shrunk, attempts } = await shrinkHistory(history, async (h) => fails(h));
    expect(fails(shrunk)).toBe(true);
    expect(shrunk.steps.map(kindOf)).toEqual(['crashRegion', 'put']);
    expect(attempts).toBeLessThan(200);
    expect(playModel(shrunk)).toBeDefined();
  });

  it('never keeps a history that cannot be played', async () => {
    const history = generateHistory(21, { ...OPTIONS, ops: 60 });
    const seen: History[] = [];
    await shrinkHistory(history, async (h) => { seen.push(h); return crashesRegion(h, history.regions[1].name); });
    expect(seen.length).toBeGreaterThan(0);
    for (const candidate of seen) expect(playModel(candidate)).toBeDefined();
  });
});

/** What the histories of a session draw (generated only, not played). */
function drawn(seed: number, runs: number) {
  const counts = { removeReplica: 0, addReplica: 0, finaleAddReplica: 0, expiring: 0, expiredWhenWritten: 0, outsideWindow: 0 };
  for (let index = 0; index < runs; index += 1) {
    const history = generateHistory(runSeed(seed, index), { ...OPTIONS, ops: 50 });
    let sleptMs = 0;
    for (const step of history.steps) {
      const args = argsOf(step);
      if (kindOf(step) === 'sleep') sleptMs += args.ms as number;
      if (kindOf(step) === 'removeReplica') counts.removeReplica += 1;
      if (kindOf(step) === 'addReplica') counts.addReplica += 1;
      const expiresAt = (args.item as Record<string, unknown> | undefined)?.[TTL_ATTRIBUTE] ?? (args.set as Record<string, unknown> | undefined)?.[TTL_ATTRIBUTE];
      if (typeof expiresAt !== 'number') continue;
      const nowS = Math.floor((SIM_EPOCH_MS + sleptMs) / 1000);
      counts.expiring += 1;
      if (expiresAt < nowS) counts.expiredWhenWritten += 1;
      if (expiresAt < nowS - EXPIRY_BEHIND_S || expiresAt > nowS + EXPIRY_AHEAD_S) counts.outsideWindow += 1;
    }
    const finale = (scenarioDocument(history).steps as StepData[]).slice(2 + history.steps.length);
    counts.finaleAddReplica += finale.filter((s) => kindOf(s) === 'addReplica').length;
  }
  return counts;
}

const REGIONS_OF_TWO = [{ name: 'us-east-1', clock: { mode: 'hlc', skewMs: 0 } }, { name: 'eu-west-1', clock: { mode: 'hlc', skewMs: 0 } }] as History['regions'];
const playable = (...steps: StepData[]): boolean => playModel({ regions: REGIONS_OF_TWO, steps }) !== undefined;
const remove = (region: string, from?: string): StepData => ({ removeReplica: { table: 'fuzz', region, ...(from ? { from } : {}) } });
const add = (region: string): StepData => ({ addReplica: { table: 'fuzz', region } });
const put = (region: string): StepData => ({ put: { region, table: 'fuzz', item: { pk: 'k0', a: 'a-1' } } });

describe('fuzz histories: expiry and replica membership', () => {
  it('a pinned session draws replica removals and re-adds, and writes that expire around their time', () => {
    const counts = drawn(1, 100);
    // At this seed: 36 removals, 7 re-adds amid the steps and 29 in the finales, 1105 writes that set an expiry (562 already past).
    expect(counts.removeReplica).toBeGreaterThanOrEqual(30);
    expect(counts.addReplica).toBeGreaterThanOrEqual(5);
    expect(counts.finaleAddReplica).toBe(counts.removeReplica - counts.addReplica);
    expect(counts.expiring).toBeGreaterThanOrEqual(900);
    expect(counts.expiredWhenWritten).toBeGreaterThanOrEqual(400);
    expect(counts.expiring - counts.expiredWhenWritten).toBeGreaterThanOrEqual(400);
    expect(counts.outsideWindow).toBe(0);
  });

  it('write only to running regions that hold the replica, and change membership only when settled', () => {
    expect(playable(remove('eu-west-1'), put('us-east-1'))).toBe(true);
    // A region without the replica would answer ResourceNotFoundException.
    expect(playable(remove('eu-west-1'), put('eu-west-1'))).toBe(false);
    expect(playable(remove('eu-west-1'), add('eu-west-1'), put('eu-west-1'))).toBe(true);
    // Never the last replica, never through the region itself, never a region already out or in.
    expect(playable(remove('eu-west-1'), remove('us-east-1'))).toBe(false);
    expect(playable(remove('eu-west-1', 'eu-west-1'))).toBe(false);
    expect(playable(add('eu-west-1'))).toBe(false);
    // Not while a region is down or a link is cut; again once it is back and healed.
    expect(playable({ crashRegion: { region: 'eu-west-1' } }, remove('eu-west-1'))).toBe(false);
    expect(playable({ partition: { from: 'us-east-1', to: 'eu-west-1' } }, remove('eu-west-1'))).toBe(false);
    expect(playable({ partition: { from: 'us-east-1', to: 'eu-west-1' } }, { heal: {} }, remove('eu-west-1'))).toBe(true);
    expect(playable(remove('eu-west-1'), { crashNats: { region: 'us-east-1' } }, add('eu-west-1'))).toBe(false);
    // Its own writes may still be on their way: the removal waits until every other replica has them.
    expect(playable(put('eu-west-1'), remove('eu-west-1'))).toBe(true);
  });

  it('end by adding back every removed replica, after the heal and before the wait for convergence', () => {
    const history: History = { seed: 1, granularity: 'item', regions: REGIONS_OF_TWO, steps: [remove('eu-west-1'), put('us-east-1')] };
    const kinds = (scenarioDocument(history).steps as StepData[]).map(kindOf);
    expect(kinds).toEqual(['createTable', 'enableTtl', 'removeReplica', 'put', 'heal', 'addReplica', 'waitConverged', 'expect']);
  });

  it('with replicas removed and added back and items expiring, converge and hold only written values', async () => {
    const wanted = (h: History): boolean => ['removeReplica', 'addReplica'].every((k) => h.steps.some((s) => kindOf(s) === k))
      && h.steps.some((s) => (argsOf(s).item as Record<string, unknown> | undefined)?.[TTL_ATTRIBUTE] !== undefined);
    const seeds = Array.from({ length: 100 }, (_, i) => runSeed(1, i));
    const history = generateHistory(seeds.find((seed) => wanted(generateHistory(seed, { ...OPTIONS, ops: 50 })))!, { ...OPTIONS, ops: 50 });
    const outcome = await playHistory(history, runScenario);
    expect(outcome.passed, outcome.failures.join('\n')).toBe(true);
  });

  it('check no values in a region that no longer holds the replica', async () => {
    const history: History = { seed: 1, granularity: 'item', regions: REGIONS_OF_TWO, steps: [put('us-east-1')] };
    const text = scenarioYaml(history).replace(/\n {2}- \{ heal[^]*$/, '\n  - { removeReplica: { table: fuzz, region: eu-west-1 } }\n');
    const problems: string[] = [];
    const report = await runScenario(parseScenario(text, 'removed.yaml'), { seed: 1, targets: checkedSimTargets(history, problems), log: () => {} });
    expect(report.passed).toBe(true);
    expect(report.steps.at(-1)!.kind).toBe('removeReplica');
    expect(problems).toEqual([]);
  });
});
