/**
 * The networkFaults step: message loss, duplication and reordering on a link, which only the
 * simulated network can make. Replication survives them (the ordered consumer notices a gap or a
 * silent link and starts again from its checkpoint); real mode refuses the step and says why.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { renderReport } from '../../src/scenario/report.js';
import { runScenario } from '../../src/scenario/runner.js';
import type { StartTargets } from '../../src/scenario/targets.js';
import { startSimTargets } from '../../src/sim/scenarioTargets.js';

const LOSSY = parseScenario(`
name: lossy links
regions:
  - name: us-east-1
  - name: eu-west-1
  - name: ap-southeast-2
steps:
  - createTable: { table: lossy, key: { pk: S } }
  - networkFaults: { from: us-east-1, to: eu-west-1, lossRate: 0.3, duplicateRate: 0.3, reorderRate: 0.3, bothWays: true }
  - networkFaults: { from: us-east-1, to: ap-southeast-2, lossRate: 0.2, duplicateRate: 0.2, reorderRate: 0.2 }
  - workload: { table: lossy, durationMs: 2000, ratePerSecond: 100, keys: 10, mix: { put: 1, update: 2, delete: 1 } }
  - heal:
  - waitConverged: { timeoutMs: 180000 }
  - expect: { converged: true }
`, 'lossy.yaml');

describe('networkFaults', () => {
  it('loses, duplicates and reorders messages in the simulator, and the replicas still converge after heal', async () => {
    const report = await runScenario(LOSSY, { seed: 3, log: () => {}, targets: startSimTargets });
    const text = renderReport(report);
    expect(report.passed, text).toBe(true);
    expect(report.faults.networkFaults).toBe(2);
    expect(report.steps[1].summary).toBe('us-east-1 ↔ eu-west-1: loss 30 %, duplicates 30 %, reordered 30 %');
    // The faults bit: the lossy pairs applied their changes long after they were written.
    const lossy = report.replicationLatency.find((p) => p.source === 'us-east-1' && p.target === 'eu-west-1');
    expect(lossy?.maxMs ?? 0).toBeGreaterThan(1000);
  });

  it('is refused where links are real: a TCP connection cannot lose, duplicate or reorder', async () => {
    const withoutMessageFaults: StartTargets = async (scenario, seed) => {
      const targets = await startSimTargets(scenario, seed);
      return Object.assign(Object.create(targets) as typeof targets, { setLinkFaults: undefined });
    };
    const report = await runScenario(LOSSY, { seed: 3, log: () => {}, targets: withoutMessageFaults });
    expect(report.passed).toBe(false);
    expect(report.steps[1]).toMatchObject({ kind: 'networkFaults', ok: false });
    expect(report.steps[1].error).toMatch(/^networkFaults needs the simulator \(globaltables run --sim\)/);
  });
});
