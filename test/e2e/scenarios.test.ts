/**
 * The shipped scenario library: every scenarios/*.yaml is played by the real command line, one at a
 * time, and must pass. Plus the exit codes of a scenario whose expectation is wrong (1) and of an
 * invalid file (2).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenarioCommand } from '../helpers/runCommand.js';

const SCENARIOS = readdirSync('scenarios').filter((f) => f.endsWith('.yaml')).sort();
const dir = mkdtempSync(join(tmpdir(), 'globaltables-scenarios-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `globaltables run <file> --json <out>` as a user would run it; the runner cleans up its own regions. */
const run = (file: string, json: string) => runScenarioCommand([file, '--json', json]);

interface Report {
  passed: boolean;
  steps: { index: number; kind: string; ok: boolean; error?: string }[];
  expectations: { ok: boolean; what: string; detail: string }[];
}

const readReport = (json: string): Report => JSON.parse(readFileSync(json, 'utf8')) as Report;

describe('scenarios/', () => {
  it('holds the scenario library', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(10);
  });

  for (const file of SCENARIOS) {
    it(`${file} passes`, async () => {
      const json = join(dir, `${file}.json`);
      const result = await run(join('scenarios', file), json);
      // On failure the report's text (stdout) says which expectation did not hold, and stderr why a run broke.
      const context = `\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
      expect(result.code, `exit code${context}`).toBe(0);
      const report = readReport(json);
      expect(report.passed, `passed${context}`).toBe(true);
      expect(report.steps.filter((s) => !s.ok), `failed steps${context}`).toEqual([]);
      expect(report.expectations.length, `expectations${context}`).toBeGreaterThan(0);
      expect(report.expectations.filter((e) => !e.ok), `failed expectations${context}`).toEqual([]);
    }, 90_000);
  }
});

describe('globaltables run exit codes', () => {
  it('exits 1 with passed: false when an expectation does not hold', async () => {
    const file = join(dir, 'wrong.yaml');
    writeFileSync(file, [
      'name: A wrong expectation',
      'regions:',
      '  - name: us-east-1',
      '  - name: eu-west-1',
      'steps:',
      '  - createTable: { table: notes, key: { id: S } }',
      '  - put: { region: us-east-1, table: notes, item: { id: n-1, text: hello } }',
      '  - waitConverged: { timeoutMs: 10000 }',
      '  - expect: { item: { table: notes, key: { id: n-1 }, region: eu-west-1, equals: { id: n-1, text: goodbye } } }',
      '',
    ].join('\n'));
    const json = join(dir, 'wrong.json');
    const result = await run(file, json);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const report = readReport(json);
    expect(report.passed).toBe(false);
    expect(report.expectations.filter((e) => !e.ok)).toHaveLength(1);
    expect(result.stdout).toContain('FAILED');
    expect(result.stdout).toContain('goodbye');
  }, 90_000);

  it('exits 2 for an invalid file, naming the line, and starts nothing', async () => {
    const file = join(dir, 'invalid.yaml');
    writeFileSync(file, [
      'name: An invalid scenario',
      'regions:',
      '  - name: us-east-1',
      'steps:',
      '  - createTable: { table: notes, key: { id: S } }',
      '  - partitoin: { from: us-east-1, to: eu-west-1 }',
      '',
    ].join('\n'));
    const json = join(dir, 'invalid.json');
    const result = await run(file, json);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain(':6');
    expect(result.stderr).toContain('partition');
    expect(result.stdout).not.toContain('starting');
  }, 30_000);
});
