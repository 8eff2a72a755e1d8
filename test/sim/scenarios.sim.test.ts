/**
 * The shipped scenario library in the simulator: every scenarios/*.yaml (and the fuzzer's findings,
 * scenarios/regressions/*.yaml) passes with its expectations unchanged, through the command line's
 * `--sim` mode; the same file and seed replay the same run (one trace hash, one report byte for
 * byte) and another seed explores other timings.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { renderReport } from '../../src/scenario/report.js';
import { runScenario } from '../../src/scenario/runner.js';
import { startSimTargets } from '../../src/sim/scenarioTargets.js';

const SCENARIOS = readdirSync('scenarios').filter((f) => f.endsWith('.yaml')).sort();
/** What the fuzzer found, each kept as the history it shrank to, replayed in the simulator only. */
const REGRESSIONS = readdirSync('scenarios/regressions').filter((f) => f.endsWith('.yaml')).sort().map((f) => `regressions/${f}`);

async function playSim(file: string, seed?: number): Promise<{ text: string; passed: boolean; traceHash?: string; mode: string }> {
  const scenario = loadScenario(join('scenarios', file));
  const report = await runScenario(scenario, { log: () => {}, targets: startSimTargets, ...(seed !== undefined ? { seed } : {}) });
  return { text: renderReport(report), passed: report.passed, traceHash: report.traceHash, mode: report.mode };
}

describe('scenarios/ in the simulator', () => {
  it('keeps the fuzzer\'s findings as regressions', () => {
    expect(REGRESSIONS.length).toBeGreaterThan(0);
  });

  for (const file of [...SCENARIOS, ...REGRESSIONS]) {
    it(`${file} passes with --sim`, async () => {
      const run = await playSim(file);
      expect(run.mode).toBe('sim');
      expect(run.passed, run.text).toBe(true);
      expect(run.traceHash).toMatch(/^[0-9a-f]{16}$/);
    });
  }

  it('replays a run exactly: one seed, one trace hash, one report', async () => {
    const first = await playSim('hot-key-latency.yaml', 42);
    const second = await playSim('hot-key-latency.yaml', 42);
    expect(second.traceHash).toBe(first.traceHash);
    expect(second.text).toBe(first.text);
    expect(first.text).toContain(`trace hash: ${first.traceHash}`);
    expect(first.text).toContain('globaltables run scenarios/hot-key-latency.yaml --sim --seed 42');
  });

  it('another seed explores other timings', async () => {
    const a = await playSim('hot-key-latency.yaml', 1);
    const b = await playSim('hot-key-latency.yaml', 2);
    expect(a.traceHash).not.toBe(b.traceHash);
  });

  it('plays from the command line, and a second process replays it byte for byte', async () => {
    const play = async (): Promise<{ code: number | null; stdout: string }> => {
      const child = spawn(process.execPath, ['--no-warnings', 'bin/globaltables.js', 'run', 'scenarios/partition-concurrent-writes.yaml', '--sim', '--seed', '7'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (chunk) => { stdout += chunk; });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      return { code, stdout };
    };
    const [first, second] = await Promise.all([play(), play()]);
    expect(first.code, first.stdout).toBe(0);
    expect(first.stdout).toMatch(/^PASSED/m);
    expect(first.stdout).toMatch(/trace hash: [0-9a-f]{16}$/m);
    expect(second.stdout).toBe(first.stdout);
  });
});
