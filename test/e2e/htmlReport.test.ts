/**
 * The HTML report of a real run: `globaltables run --html` follows every region's event feed over
 * HTTP for the whole run, and writes the page even when an expectation failed (exit code 1).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDataOf } from '../helpers/htmlReport.js';
import { runScenarioCommand } from '../helpers/runCommand.js';

const dir = mkdtempSync(join(tmpdir(), 'globaltables-html-real-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A conflict staged across a partition, a crash and restart, and a last expectation that cannot hold. */
const SCENARIO = `name: Staged conflict, reported in HTML
seed: 3
regions:
  - name: us-east-1
  - name: eu-west-1
steps:
  - createTable: { table: carts, key: { cart: S } }
  - put: { region: us-east-1, table: carts, item: { cart: c-1, note: created } }
  - waitConverged: { timeoutMs: 10000 }
  - partition: { groups: [[us-east-1], [eu-west-1]] }
  - update: { region: us-east-1, table: carts, key: { cart: c-1 }, set: { note: from us-east-1 } }
  - sleep: { ms: 50 }
  - update: { region: eu-west-1, table: carts, key: { cart: c-1 }, set: { note: from eu-west-1 } }
  - heal:
  - waitConverged: { timeoutMs: 15000 }
  # A feed sends its changes on a 100 ms beat: a region killed sooner takes its last ones with it.
  - sleep: { ms: 300 }
  - crashRegion: { region: eu-west-1 }
  - put: { region: us-east-1, table: carts, item: { cart: c-2, note: while eu-west-1 was down } }
  - restartRegion: { region: eu-west-1 }
  - waitConverged: { timeoutMs: 15000 }
  - expect:
      item: { table: carts, key: { cart: c-1 }, region: us-east-1, has: { note: nobody wrote this } }
`;

describe('the HTML report of a real run', () => {
  it('holds every region\'s feed for the run, a restarted one\'s too, and is written when the run failed', async () => {
    const file = join(dir, 'staged.yaml');
    const out = join(dir, 'staged.html');
    writeFileSync(file, SCENARIO);
    const result = await runScenarioCommand([file, '--html', out]);
    const context = `\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
    expect(result.code, context).toBe(1);
    expect(result.stdout, context).toMatch(/^FAILED/m);
    expect(existsSync(out), context).toBe(true);
    const run = runDataOf(readFileSync(out, 'utf8'));
    expect(run.mode).toBe('real');
    expect(run.report.passed).toBe(false);
    expect(run.events.filter((e) => e.type === 'step')).toHaveLength(15);
    // eu-west-1's feed followed again after its restart: a second hello, and its status to the end,
    // the last one holding what it caught up on (its changes before the feed answered are not told).
    // (The old connection's own retry may reach the restarted region first: a hello more, no event twice.)
    const hellos = (region: string): number => run.events.filter((e) => e.type === 'hello' && e.region === region).length;
    expect(hellos('us-east-1')).toBe(1);
    expect(hellos('eu-west-1')).toBeGreaterThanOrEqual(2);
    expect(run.events.flatMap((e) => (e.type === 'region' ? [`${e.region} ${e.up ? 'up' : 'down'}`] : []))).toEqual(['eu-west-1 down', 'eu-west-1 up']);
    const restartedAt = run.events.find((e) => e.type === 'region' && e.up)!.atMs;
    const lastStatus = run.events.filter((e) => e.type === 'status' && e.region === 'eu-west-1').at(-1);
    expect(lastStatus && lastStatus.atMs > restartedAt && lastStatus.type === 'status' && lastStatus.items, context).toBe(2);
    // Each region's own writes, and the other's applied there.
    const changes = run.events.flatMap((e) => (e.type === 'change' ? [`${e.region}<${e.origin}`] : []));
    for (const pair of ['us-east-1<us-east-1', 'eu-west-1<eu-west-1', 'eu-west-1<us-east-1', 'us-east-1<eu-west-1']) expect(changes, context).toContain(pair);
    const conflict = run.events.find((e) => e.type === 'conflict');
    expect(conflict && conflict.type === 'conflict' && conflict.conflict.explanation, context).toMatch(/eu-west-1's write won/);
    expect(run.events.some((e) => e.type === 'fault' && e.kind === 'link')).toBe(true);
    expect(run.events.every((e) => e.atMs >= run.startedAtMs - 1000 && e.atMs <= run.endedAtMs + 5000)).toBe(true);
  }, 90_000);
});
