/**
 * The runner plays a scenario through ScenarioTargets alone: against an in-memory fake on virtual time,
 * every duration in the progress lines and the report is exactly the virtual time that passed, and the
 * same seed gives the same report and trace hash.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonical } from '../../src/scenario/context.js';
import { parseScenario } from '../../src/scenario/load.js';
import { renderReport, type ScenarioReport } from '../../src/scenario/report.js';
import { runScenario } from '../../src/scenario/runner.js';
import type { Scenario } from '../../src/scenario/schema.js';
import type { CallOptions, ScenarioRegionHandle, ScenarioTargets } from '../../src/scenario/targets.js';

/** Every DynamoDB call takes this long in virtual time; admin calls take none. */
const CALL_MS = 2;
const RESTART_MS = 250;
const START_MS = 1_000_000;

class OutsideDriveError extends Error {}

type Item = Record<string, unknown>;

/** One store shared by every region: replication is instant, so replicas always agree. */
class FakeTargets implements ScenarioTargets {
  readonly mode = 'sim' as const;
  readonly regions: FakeRegion[];
  readonly tables = new Map<string, { keyNames: string[]; items: Map<string, Item> }>();
  readonly calls: { atMs: number; region: string; operation: string; options: CallOptions }[] = [];
  readonly reads: string[] = [];
  stopped = false;
  private timeMs = START_MS;
  private timers: { atMs: number; seq: number; fire: () => void }[] = [];
  private seq = 0;
  private driving = false;

  constructor(scenario: Scenario) {
    this.regions = scenario.regions.map((r) => new FakeRegion(r.name, this));
  }

  region(name: string): FakeRegion {
    return this.regions.find((r) => r.name === name)!;
  }

  running(): FakeRegion[] {
    return this.regions.filter((r) => r.running);
  }

  nowMs(): number {
    return this.timeMs;
  }

  sleep(ms: number): Promise<void> {
    if (!this.driving) return Promise.reject(new OutsideDriveError('sleep outside drive()'));
    return new Promise((resolve) => { this.timers.push({ atMs: this.timeMs + ms, seq: this.seq++, fire: resolve }); });
  }

  /** Lets the work run until it waits on time, then moves time to the next timer: a miniature simulator. */
  async drive<T>(work: () => Promise<T>): Promise<T> {
    this.driving = true;
    let settled = false;
    const result = work().finally(() => { settled = true; });
    result.catch(() => undefined);
    while (!settled) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) break;
      this.timers.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) throw new Error('the work waits, but not on time');
      this.timeMs = next.atMs;
      next.fire();
    }
    this.driving = false;
    return result;
  }

  traceRead(what: string): void {
    this.reads.push(`${this.timeMs} ${what}`);
  }

  traceHash(): string {
    return createHash('sha256').update(this.reads.join('\n')).digest('hex');
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }

  killNow(): void {
    this.stopped = true;
  }
}

class FakeRegion implements ScenarioRegionHandle {
  running = true;

  constructor(readonly name: string, private readonly targets: FakeTargets) {}

  async call<T>(operation: string, body: unknown, options: CallOptions = {}): Promise<T> {
    this.targets.calls.push({ atMs: this.targets.nowMs(), region: this.name, operation, options });
    await this.targets.sleep(CALL_MS);
    return this.apply(operation, body as Record<string, never>) as T;
  }

  private apply(operation: string, body: Record<string, never>): unknown {
    const tables = this.targets.tables;
    const table = tables.get(body.TableName);
    const keyOf = (item: Record<string, unknown>): string => canonical(table!.keyNames.map((n) => item[n]));
    switch (operation) {
      case 'CreateTable':
        tables.set(body.TableName, { keyNames: (body.KeySchema as { AttributeName: string }[]).map((k) => k.AttributeName), items: new Map() });
        return {};
      case 'UpdateTable':
        return {};
      case 'DescribeTable':
        return { Table: { TableStatus: 'ACTIVE', Replicas: this.targets.regions.map((r) => ({ RegionName: r.name, ReplicaStatus: 'ACTIVE' })) } };
      case 'PutItem':
        table!.items.set(keyOf(body.Item), body.Item);
        return {};
      case 'GetItem': {
        const item = table!.items.get(keyOf(body.Key));
        return item ? { Item: item } : {};
      }
      default:
        throw new Error(`the fake does not do ${operation}`);
    }
  }

  async admin<T>(path: string): Promise<T> {
    const [route, query] = path.split('?');
    if (route === '/admin/digest') {
      const name = new URLSearchParams(query).get('table')!;
      return { tables: { [name]: { digest: canonical([...this.targets.tables.get(name)!.items.entries()].sort()) } } } as T;
    }
    if (route === '/admin/metrics') return { replication: [], changeLog: { lastLsn: 0, publishedLsn: 0, lastOwnLsn: 0 }, tombstones: { retentionMs: 1000, stableBeforeMs: null, waitingOn: [], purged: 0, possibleResurrections: 0 } } as T;
    if (route === '/admin/conflicts') return { conflicts: [] } as T;
    if (route === '/admin/item') return { record: null } as T;
    throw new Error(`the fake has no admin route ${path}`);
  }

  async crash(): Promise<void> {
    this.running = false;
  }

  async start(): Promise<void> {
    await this.targets.sleep(RESTART_MS);
    this.running = true;
  }
}

const SCENARIO = `name: fake run
regions: [{ name: us-east-1 }, { name: eu-west-1 }]
steps:
  - createTable: { table: orders, key: { id: S } }
  - put: { region: us-east-1, table: orders, item: { id: a, n: 1 }, timestampMs: 5000 }
  - get: { region: eu-west-1, table: orders, key: { id: a }, equals: { id: a, n: 1 } }
  - sleep: { ms: 1500 }
  - crashRegion: { region: eu-west-1 }
  - restartRegion: { region: eu-west-1 }
  - sleep: { ms: 300 }
  - waitConverged: {}
  - workload: { table: orders, durationMs: 100, ratePerSecond: 50, keys: 3 }
  - expect: { item: { table: orders, key: { id: a }, has: { n: 1 } }, converged: true }
`;

async function play(seed: number): Promise<{ report: ScenarioReport; targets: FakeTargets; lines: string[] }> {
  const lines: string[] = [];
  let targets: FakeTargets | undefined;
  const report = await runScenario(parseScenario(SCENARIO, 'fake.yaml'), {
    seed,
    log: (line) => lines.push(line),
    targets: async (scenario) => (targets = new FakeTargets(scenario)),
  });
  return { report, targets: targets!, lines };
}

describe('runScenario over ScenarioTargets', () => {
  it('measures every step and the whole run in the targets\' (virtual) time', async () => {
    const { report, targets, lines } = await play(7);
    expect(report.steps.filter((s) => !s.ok)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.mode).toBe('sim');
    // createTable: CreateTable and DescribeTable, then for the second replica UpdateTable and DescribeTable;
    // the workload's last write goes out 80 ms in; the closing expect reads the item in both regions.
    expect(report.steps.map((s) => s.ms)).toEqual([4 * CALL_MS, CALL_MS, CALL_MS, 1500, 0, RESTART_MS, 300, 0, 80 + CALL_MS, 2 * CALL_MS]);
    expect(report.durationMs).toBe(report.steps.reduce((sum, s) => sum + s.ms, 0));
    expect(report.durationMs).toBe(targets.nowMs() - START_MS);
    expect(lines.find((l) => l.includes('[4/10] sleep'))).toMatch(/\(1500 ms\)$/);
    expect(report.convergence).toEqual([{ step: 7, waitedMs: 0, converged: true, afterHealMs: 300 }]);
    // From the put's acknowledgement (step 2) to convergence (step 8): the get, the sleeps and the restart.
    expect(report.divergenceWindows).toEqual([{ fromStep: 1, toStep: 7, ms: CALL_MS + 1500 + RESTART_MS + 300 }]);
    expect(targets.stopped).toBe(true);
  });

  it('paces the workload on the targets\' clock and passes the write timestamp as a call option', async () => {
    const { targets, report } = await play(7);
    const workloadStart = START_MS + 4 * CALL_MS + CALL_MS + CALL_MS + 1500 + RESTART_MS + 300;
    const workloadCalls = targets.calls.filter((c) => c.atMs >= workloadStart && c.operation === 'PutItem');
    expect(workloadCalls.map((c) => c.atMs - workloadStart)).toEqual([0, 20, 40, 60, 80]);
    expect(workloadCalls.map((c) => c.region)).toEqual(['us-east-1', 'eu-west-1', 'us-east-1', 'eu-west-1', 'us-east-1']);
    expect(workloadCalls.every((c) => c.options.timeoutMs === 5000)).toBe(true);
    expect(targets.calls.find((c) => c.operation === 'PutItem')!.options).toEqual({ timestampMs: 5000 });
    expect(report.steps[8].summary).toMatch(/^5 writes acknowledged in 0\.1 s/);
    expect(report.acknowledgedWrites).toBe(6);
  });

  it('feeds what the steps read into the trace, and the same seed replays the same run', async () => {
    const first = await play(7);
    const again = await play(7);
    expect(first.targets.reads).toContain(`${START_MS + 4 * CALL_MS + 2 * CALL_MS} get orders {"id":"a"} in eu-west-1: {"id":"a","n":1}`);
    expect(first.targets.reads.some((r) => r.includes('digest orders in us-east-1'))).toBe(true);
    expect(first.report.traceHash).toMatch(/^[0-9a-f]{64}$/);
    expect(again.report).toEqual(first.report);
    expect(again.lines).toEqual(first.lines);
  });

  it('says how to replay: exactly with --sim, the same operations without', async () => {
    const { report } = await play(7);
    const text = renderReport(report).split('\n');
    expect(text[0]).toContain('seed 7; replay: globaltables run fake.yaml --sim --seed 7)');
    expect(text.at(-1)).toBe(`trace hash: ${report.traceHash}`);
    const { traceHash: _hash, ...real } = report;
    const realText = renderReport({ ...real, mode: 'real' }).split('\n');
    expect(realText[0]).toContain('rerun: globaltables run fake.yaml --seed 7 (same operations; timing differs — replay exactly with --sim)');
    expect(realText.some((l) => l.startsWith('trace hash'))).toBe(false);
  });
});

describe('the scenario code reads time only from its targets', () => {
  const SCENARIO_DIR = join(__dirname, '../../src/scenario');
  const sources = [
    ...readdirSync(join(SCENARIO_DIR, 'steps')).map((f) => join('steps', f)),
    'context.ts', 'recorder.ts', 'report.ts', 'overwrites.ts', 'runner.ts', 'targets.ts',
  ];
  const WALL_CLOCK = /\b(Date\.now\(|performance\.now\(|new Date\(\)|setTimeout\(|setInterval\(|setImmediate\(|fetch\(|Math\.random\(|callDynamo\()/;

  it.each(sources)('%s', (file) => {
    const text = readFileSync(join(SCENARIO_DIR, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(text).not.toMatch(WALL_CLOCK);
  });
});
