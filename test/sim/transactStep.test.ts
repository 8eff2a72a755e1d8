/**
 * The transact step on the simulated cluster: a transaction's writes are recorded as acknowledged
 * writes, a cancelled one writes nothing, a malformed action is refused when the file is loaded,
 * and the shipped lesson's watch sees the transaction half-applied in the other region, the same
 * way every time it is replayed.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from '../../src/scenario/load.js';
import { renderReport, type ScenarioReport } from '../../src/scenario/report.js';
import { runScenario } from '../../src/scenario/runner.js';
import { startSimTargets } from '../../src/sim/scenarioTargets.js';

async function play(steps: string[]): Promise<ScenarioReport> {
  const text = ['name: transact step', 'seed: 5', 'regions:', '  - name: us-east-1', '  - name: eu-west-1', 'steps:', ...steps.map((s) => `  - ${s}`), ''].join('\n');
  return runScenario(parseScenario(text, 'transact-step.yaml'), { targets: startSimTargets, log: () => {} });
}

describe('the transact step', () => {
  it('writes every action in one region, records each written item, and the other region gets them all', async () => {
    const report = await play([
      'createTable: { table: notes, key: { id: S } }',
      'put: { region: us-east-1, table: notes, item: { id: checked } }',
      'transact: { region: us-east-1, actions: [ { put: { table: notes, item: { id: a, v: 1 } } }, { update: { table: notes, key: { id: b }, set: { v: 2 } } }, { check: { table: notes, key: { id: checked }, condition: attribute_exists(id) } } ], watch: { region: eu-west-1 } }',
      'transact: { region: us-east-1, expectError: TransactionCanceledException, actions: [ { delete: { table: notes, key: { id: a } } }, { check: { table: notes, key: { id: nobody }, condition: attribute_exists(id) } } ] }',
      'waitConverged: { timeoutMs: 10000 }',
      'expect: { item: { table: notes, key: { id: a }, region: eu-west-1, equals: { id: a, v: 1 } } }',
      'expect: { item: { table: notes, key: { id: b }, region: eu-west-1, equals: { id: b, v: 2 } } }',
    ]);
    expect(report.passed, renderReport(report)).toBe(true);
    expect(report.acknowledgedWrites).toBe(3);
    expect(report.transactions).toHaveLength(1);
    expect(report.transactions[0]).toMatchObject({ origin: 'us-east-1', watchedIn: 'eu-west-1', items: 2, whole: true });
  });

  it('refuses an action that is not exactly one of put, update, delete or check when the file is loaded', () => {
    const text = ['name: bad', 'regions:', '  - name: us-east-1', 'steps:', '  - transact: { region: us-east-1, actions: [ { put: { table: notes, item: { id: a } }, delete: { table: notes, key: { id: a } } } ] }', ''].join('\n');
    expect(() => parseScenario(text, 'bad.yaml')).toThrow(/transact/);
  });

  it('the shipped lesson sees its transaction half-applied in the other region, and replays exactly', async () => {
    const scenario = loadScenario('scenarios/transaction-across-regions.yaml');
    const first = await runScenario(scenario, { targets: startSimTargets, log: () => {} });
    expect(first.passed, renderReport(first)).toBe(true);
    const sighting = first.transactions[0];
    expect(sighting.partialSnapshots).toBeGreaterThan(0);
    expect(sighting.firstPartial?.applied).toContain('accounts {"id":"alice"}');
    expect(sighting.whole).toBe(true);
    expect(renderReport(first)).toMatch(/eu-west-1 watching us-east-1's transaction of 3 items: seen HALF-APPLIED/);
    const again = await runScenario(scenario, { targets: startSimTargets, log: () => {} });
    expect(again.transactions).toEqual(first.transactions);
    expect(again.traceHash).toBe(first.traceHash);
  });
});
