/**
 * The HTML report of a simulated run: `run --sim --html` writes one page that holds the whole run
 * (steps, feed changes, conflicts with their explanations) and needs nothing from the network; the
 * same seed gives the same data; recording leaves the run itself unchanged (its trace hash).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { renderHtmlReport } from '../../src/scenario/htmlReport.js';
import { runScenario } from '../../src/scenario/runner.js';
import { TimelineRecorder, type RunTimeline } from '../../src/scenario/timeline.js';
import { startSimTargets } from '../../src/sim/scenarioTargets.js';
import { runDataOf } from '../helpers/htmlReport.js';
import { runScenarioCommand } from '../helpers/runCommand.js';

const dir = mkdtempSync(join(tmpdir(), 'globaltables-html-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCENARIO = 'scenarios/partition-concurrent-writes.yaml';

async function record(file: string, seed?: number, maxChanges?: number): Promise<{ timeline: RunTimeline; traceHash?: string }> {
  const scenario = loadScenario(file);
  const recorder = new TimelineRecorder(scenario, maxChanges);
  const report = await runScenario(scenario, { log: () => {}, targets: startSimTargets, observer: recorder, ...(seed !== undefined ? { seed } : {}) });
  return { timeline: recorder.timeline(report), traceHash: report.traceHash };
}

describe('the HTML report of a simulated run', () => {
  it('is written by run --sim --html: the whole run inlined, nothing fetched from the network', async () => {
    const out = join(dir, 'partition.html');
    const result = await runScenarioCommand([SCENARIO, '--sim', '--html', out]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`HTML report: ${out}`);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<title>Concurrent writes during a partition</title>');
    expect(html).not.toMatch(/src="http|href="http|src='http|href='http|@import|url\(http/);
    const run = runDataOf(html);
    expect(run.mode).toBe('sim');
    expect(run.seed).toBe(2);
    expect(run.report.passed).toBe(true);
    const steps = run.events.filter((e) => e.type === 'step');
    expect(steps.map((s) => s.type === 'step' && s.kind)).toEqual(run.report.steps.map((s) => s.kind));
    expect(run.events.filter((e) => e.type === 'change').length).toBeGreaterThan(0);
    const conflicts = run.events.filter((e) => e.type === 'conflict');
    expect(conflicts.length).toBeGreaterThan(0);
    for (const c of conflicts) if (c.type === 'conflict') expect(c.conflict.explanation).toMatch(/eu-west-1's write won/);
    expect(run.report.conflicts[0]?.explanation).toMatch(/eu-west-1's write won/);
    expect(run.events.some((e) => e.type === 'divergence')).toBe(true);
    const times = run.events.map((e) => e.atMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  }, 60_000);

  it('keeps "<" in the data from ending its script element', async () => {
    const { timeline } = await record(SCENARIO);
    const tricky = { ...timeline, scenario: 'a </script><script>alert(1)</script> b' };
    const html = await renderHtmlReport(tricky);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(runDataOf(html).scenario).toBe(tricky.scenario);
    expect(html).toContain('<title>a &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; b</title>');
  });

  it('gives the same data for the same seed, and leaves the run as it is without one', async () => {
    const first = await record(SCENARIO, 7);
    const second = await record(SCENARIO, 7);
    expect(JSON.stringify(second.timeline)).toBe(JSON.stringify(first.timeline));
    const plain = await runScenario(loadScenario(SCENARIO), { log: () => {}, targets: startSimTargets, seed: 7 });
    expect(first.traceHash).toBe(plain.traceHash);
  });

  it('keeps every step and conflict but only the first changes of a heavy run, counting the rest', async () => {
    const { timeline } = await record('scenarios/hot-key-latency.yaml', undefined, 50);
    expect(timeline.events.filter((e) => e.type === 'change')).toHaveLength(50);
    expect(timeline.changesDropped).toBeGreaterThan(0);
    expect(timeline.events.filter((e) => e.type === 'step')).toHaveLength(timeline.report.steps.length);
    const conflictIds = new Set(timeline.events.flatMap((e) => (e.type === 'conflict' ? [JSON.stringify([e.conflict.table, e.conflict.keys, e.conflict.winner.version, e.conflict.loser.version])] : [])));
    expect(conflictIds.size).toBe(timeline.report.conflicts.length);
  }, 60_000);
});
