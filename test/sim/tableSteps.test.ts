/**
 * The table steps on the simulated cluster: removeReplica takes a region out of a global table (its
 * items dropped, the coordinator no longer listing it) and addReplica brings it back backfilled;
 * enableTtl makes an expired item disappear from every replica, whichever region's sweeper deleted
 * it, and the replicas still converge. All waits are on virtual time.
 */
import { describe, expect, it } from 'vitest';
import { DynamoCallError } from '../../src/scenario/client.js';
import { parseScenario } from '../../src/scenario/load.js';
import { renderReport, type ScenarioReport } from '../../src/scenario/report.js';
import { runScenario } from '../../src/scenario/runner.js';
import type { ScenarioTargets, StartTargets } from '../../src/scenario/targets.js';
import { SIM_EPOCH_MS } from '../../src/sim/cluster.js';
import { startSimTargets } from '../../src/sim/scenarioTargets.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const EPOCH_S = SIM_EPOCH_MS / 1000;

/** Simulated targets that, once the steps are done (still on virtual time), let the test look at the regions. */
function inspected(look: (targets: ScenarioTargets) => Promise<void>): StartTargets {
  return async (scenario, seed) => {
    const targets = await startSimTargets(scenario, seed);
    return { ...targets, drive: (work) => targets.drive(async () => { const result = await work(); await look(targets); return result; }) };
  };
}

async function play(steps: string[], targets: StartTargets = startSimTargets): Promise<{ report: ScenarioReport; log: string[] }> {
  const text = [
    'name: table steps', 'seed: 3', 'regions:', ...REGIONS.map((r) => `  - name: ${r}`),
    'steps:', ...steps.map((s) => `  - ${s}`), '',
  ].join('\n');
  const log: string[] = [];
  const report = await runScenario(parseScenario(text, 'table-steps.yaml'), { targets, log: (line) => log.push(line) });
  return { report, log };
}

async function tableIn(targets: ScenarioTargets, region: string): Promise<{ Replicas?: { RegionName: string }[] } | 'none'> {
  try {
    return (await targets.region(region).call<{ Table: { Replicas?: { RegionName: string }[] } }>('DescribeTable', { TableName: 'notes' })).Table;
  } catch (error) {
    if (error instanceof DynamoCallError && error.type === 'ResourceNotFoundException') return 'none';
    throw error;
  }
}

describe('removeReplica and addReplica', () => {
  it('removes a replica: its table is gone, the others no longer list it, writes there are refused', async () => {
    const seen: Record<string, unknown> = {};
    const { report } = await play([
      'createTable: { table: notes, key: { pk: S } }',
      'put: { region: eu-west-1, table: notes, item: { pk: a, v: 1 } }',
      'waitConverged:',
      'removeReplica: { table: notes, region: eu-west-1 }',
      'put: { region: eu-west-1, table: notes, item: { pk: b, v: 2 }, expectError: ResourceNotFoundException }',
      'put: { region: us-east-1, table: notes, item: { pk: c, v: 3 } }',
      // Converged among the replicas that remain: the removed region is no longer compared.
      'waitConverged:',
      'expect: { converged: true, item: { table: notes, key: { pk: a }, equals: { pk: a, v: 1 } } }',
    ], inspected(async (targets) => {
      for (const region of REGIONS) seen[region] = await tableIn(targets, region);
    }));
    expect(report.passed, renderReport(report)).toBe(true);
    expect(report.steps[3].summary).toMatch(/^notes no longer replicated to eu-west-1 \(removed through us-east-1, its table gone after \d+ ms\)$/);
    expect(seen['eu-west-1']).toBe('none');
    // DescribeTable lists the other replicas.
    const others = (region: string): string[] => (seen[region] as { Replicas: { RegionName: string }[] }).Replicas.map((r) => r.RegionName);
    expect(others('us-east-1')).toEqual(['ap-southeast-2']);
    expect(others('ap-southeast-2')).toEqual(['us-east-1']);
  });

  it('adds the removed replica back, backfilled with what was written meanwhile, and all converge', async () => {
    const { report } = await play([
      'createTable: { table: notes, key: { pk: S } }',
      'put: { region: eu-west-1, table: notes, item: { pk: a, v: 1 } }',
      'waitConverged:',
      'removeReplica: { table: notes, region: eu-west-1, from: ap-southeast-2 }',
      'put: { region: us-east-1, table: notes, item: { pk: b, v: 2 } }',
      'delete: { region: ap-southeast-2, table: notes, key: { pk: a } }',
      'addReplica: { table: notes, region: eu-west-1, from: ap-southeast-2 }',
      'put: { region: eu-west-1, table: notes, item: { pk: c, v: 3 } }',
      'waitConverged:',
      'expect: { converged: true, item: { table: notes, key: { pk: b }, region: eu-west-1, equals: { pk: b, v: 2 } } }',
      'expect: { item: { table: notes, key: { pk: a }, region: eu-west-1, absent: true } }',
      'expect: { item: { table: notes, key: { pk: c }, equals: { pk: c, v: 3 } } }',
    ]);
    expect(report.passed, renderReport(report)).toBe(true);
    expect(report.convergence.at(-1)!.converged).toBe(true);
  });

  it('refuses to remove the only replica, or one the table does not have', async () => {
    const only = await play(['createTable: { table: notes, key: { pk: S }, replicas: [us-east-1] }', 'removeReplica: { table: notes, region: us-east-1 }']);
    expect(only.report.steps.at(-1)!.error).toBe('us-east-1 holds the only replica of notes: no other replica can remove it');
    const missing = await play(['createTable: { table: notes, key: { pk: S }, replicas: [us-east-1, eu-west-1] }', 'removeReplica: { table: notes, region: ap-southeast-2 }']);
    expect(missing.report.steps.at(-1)!.error).toBe('ap-southeast-2 holds no replica of notes');
  });
});

describe('enableTtl', () => {
  const expired = EPOCH_S - 60;
  const later = EPOCH_S + 3_600;

  it('makes an expired item disappear from every replica; the others stay and the replicas converge', async () => {
    const ttl: Record<string, unknown> = {};
    const { report } = await play([
      'createTable: { table: notes, key: { pk: S } }',
      'enableTtl: { table: notes, attribute: expiresAt }',
      `put: { region: eu-west-1, table: notes, item: { pk: old, expiresAt: ${expired} } }`,
      `put: { region: us-east-1, table: notes, item: { pk: live, expiresAt: ${later} } }`,
      'put: { region: ap-southeast-2, table: notes, item: { pk: plain } }',
      // Two sweeps (every 2 s of virtual time) are more than enough.
      'sleep: { ms: 5000 }',
      'waitConverged:',
      'expect: { converged: true, item: { table: notes, key: { pk: old }, absent: true } }',
      `expect: { item: { table: notes, key: { pk: live }, equals: { pk: live, expiresAt: ${later} } } }`,
      'expect: { item: { table: notes, key: { pk: plain }, equals: { pk: plain } } }',
    ], inspected(async (targets) => {
      for (const region of REGIONS) ttl[region] = (await targets.region(region).call('DescribeTimeToLive', { TableName: 'notes' })).TimeToLiveDescription;
    }));
    expect(report.passed, renderReport(report)).toBe(true);
    expect(report.steps[1].summary).toBe('notes expires items by expiresAt in us-east-1, eu-west-1, ap-southeast-2');
    for (const region of REGIONS) expect(ttl[region]).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    // A TTL delete is a write of the service: the written item did not survive it.
    expect(report.overwritten.superseded).toBeGreaterThanOrEqual(1);
  });

  it('in one region only: its sweeper deletes an item written elsewhere, and the delete replicates', async () => {
    const { report } = await play([
      'createTable: { table: notes, key: { pk: S } }',
      'enableTtl: { table: notes, attribute: expiresAt, region: us-east-1 }',
      `put: { region: ap-southeast-2, table: notes, item: { pk: old, expiresAt: ${expired} } }`,
      'sleep: { ms: 5000 }',
      'waitConverged:',
      'expect: { converged: true, item: { table: notes, key: { pk: old }, absent: true } }',
    ]);
    expect(report.passed, renderReport(report)).toBe(true);
    expect(report.steps[1].summary).toBe('notes expires items by expiresAt in us-east-1');
  });

  it('is copied to a replica added later, which a second enableTtl then leaves alone', async () => {
    const { report } = await play([
      'createTable: { table: notes, key: { pk: S }, replicas: [us-east-1, eu-west-1] }',
      'enableTtl: { table: notes, attribute: expiresAt }',
      'addReplica: { table: notes, region: ap-southeast-2 }',
      'enableTtl: { table: notes, attribute: expiresAt }',
    ]);
    expect(report.passed, renderReport(report)).toBe(true);
    expect(report.steps[3].summary).toBe('notes expires items by expiresAt in no region (already in us-east-1, eu-west-1, ap-southeast-2)');
  });
});
