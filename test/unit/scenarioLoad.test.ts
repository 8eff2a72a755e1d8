import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario, ScenarioError } from '../../src/scenario/load.js';

/** Lines 1–5; the first step is on line 6. */
const HEAD = `name: broken
regions:
  - name: us-east-1
  - name: eu-west-1
steps:
`;

const CREATE = '  - createTable: { table: orders, key: { id: S } }\n';

function failure(text: string): ScenarioError {
  try {
    parseScenario(text, 'broken.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return error as ScenarioError;
  }
  throw new Error('expected a ScenarioError');
}

const message = (text: string) => failure(text).message;

const VALID = `name: split brain
description: two regions write the same key while cut off
regions:
  - name: us-east-1
  - name: eu-west-1
    clock: { mode: wall, skewMs: 250 }
steps:
  - createTable:
      table: orders
      key: { id: S, at: N }
  - put: { region: us-east-1, table: orders, item: { id: a, at: 1, region: anywhere } }
  - update: { region: eu-west-1, table: orders, key: { id: a, at: 1 }, set: { n: 2 } }
  - delete: { region: eu-west-1, table: orders, key: { id: b, at: 1 }, timestampMs: 5 }
  - get: { region: us-east-1, table: orders, key: { id: a, at: 1 }, has: { n: 2 } }
  - query: { region: us-east-1, table: orders, keyCondition: "id = :id", values: { ":id": a }, expectCount: 1 }
  - partition:
      groups: [[us-east-1], [eu-west-1]]
  - latency: { from: us-east-1, to: eu-west-1, ms: 40 }
  - workload: { table: orders, durationMs: 1000, ratePerSecond: 50 }
  - clockSkew: { region: eu-west-1, skewMs: -100 }
  - crashRegion: { region: eu-west-1 }
  - restartRegion: { region: eu-west-1 }
  - heal:
  - sleep: { ms: 10 }
  - waitConverged:
  - expect:
      converged: true
      item: { table: orders, key: { id: a, at: 1 }, region: eu-west-1, absent: true }
  - enableTtl: { table: orders, attribute: expiresAt }
  - removeReplica: { table: orders, region: eu-west-1 }
  - addReplica: { table: orders, region: eu-west-1, from: us-east-1 }
`;

describe('loading a scenario', () => {
  it('returns the header and the steps with defaults applied and the line of each step', () => {
    const scenario = parseScenario(VALID, 'split.yaml');
    expect(scenario).toMatchObject({
      file: 'split.yaml', name: 'split brain', description: 'two regions write the same key while cut off', seed: 1, granularity: 'item',
      regions: [{ name: 'us-east-1', clock: { mode: 'hlc', skewMs: 0 } }, { name: 'eu-west-1', clock: { mode: 'wall', skewMs: 250 } }],
    });
    expect(scenario.steps.map((s) => [s.kind, s.index, s.line])).toEqual([
      ['createTable', 0, 8], ['put', 1, 11], ['update', 2, 12], ['delete', 3, 13], ['get', 4, 14], ['query', 5, 15],
      ['partition', 6, 16], ['latency', 7, 18], ['workload', 8, 19], ['clockSkew', 9, 20], ['crashRegion', 10, 21],
      ['restartRegion', 11, 22], ['heal', 12, 23], ['sleep', 13, 24], ['waitConverged', 14, 25], ['expect', 15, 26],
      ['enableTtl', 16, 29], ['removeReplica', 17, 30], ['addReplica', 18, 31],
    ]);
    expect(scenario.steps[0].args).toEqual({ table: 'orders', key: { id: 'S', at: 'N' }, replicas: 'all' });
    expect(scenario.steps[7].args).toEqual({ from: 'us-east-1', to: 'eu-west-1', ms: 40, jitterMs: 0, bothWays: false });
    expect(scenario.steps[8].args).toMatchObject({ regions: 'all', keys: 100, distribution: 'uniform', hotKeyShare: 0.5, mix: { put: 1 } });
    expect(scenario.steps[12].args).toEqual({});
    expect(scenario.steps[14].args).toEqual({ timeoutMs: 30_000 });
    expect(scenario.steps[16].args).toEqual({ table: 'orders', attribute: 'expiresAt' });
    expect(scenario.steps[17].args).toEqual({ table: 'orders', region: 'eu-west-1' });
  });

  it('reads the file it is given', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'scenario-')), 'split.yaml');
    writeFileSync(file, VALID);
    expect(loadScenario(file)).toMatchObject({ file, name: 'split brain' });
  });

  it('lists every problem with file, line and path, in line order, on the error', () => {
    const error = failure(`${HEAD}  - sleep: { ms: fast }\n  - heal: { form: us-east-1 }\n`);
    expect(error.name).toBe('ScenarioError');
    expect(error.problems).toEqual([
      { line: 6, path: 'steps[0].sleep.ms', message: 'expected a number, found "fast"' },
      { line: 7, path: 'steps[1].heal.form', message: 'unknown key "form"' },
    ]);
    expect(error.message).toBe('broken.yaml:6: steps[0].sleep.ms: expected a number, found "fast"\nbroken.yaml:7: steps[1].heal.form: unknown key "form"');
  });
});

describe('scenario problems', () => {
  it('reports a YAML syntax error once, with its line', () => {
    expect(message('name: x\nregions: [unclosed\nsteps: []\n')).toMatch(/^broken\.yaml:3: \(top level\): YAML syntax: [^\n]+$/);
  });

  it('reports an empty file', () => {
    expect(message('# nothing yet\n')).toBe('broken.yaml: (top level): the file is empty; expected a map with name, regions and steps');
  });

  it('names unknown and missing header fields', () => {
    expect(message('name: x\nregion:\n  - name: us-east-1\nsteps:\n  - heal:\n')).toBe(
      'broken.yaml:1: regions: required\nbroken.yaml:2: region: unknown key "region"');
  });

  it('says which choices a header enum has and what was found', () => {
    expect(message(`name: x\nregions:\n  - name: us-east-1\n    clock: { mode: walll }\nsteps:\n  - heal:\n`)).toBe(
      'broken.yaml:4: regions[0].clock.mode: expected one of hlc, wall, found "walll"');
  });

  it('explains a region name that does not fit the pattern', () => {
    expect(message(`${HEAD}  - crashRegion: { region: US-East-1 }\n`)).toBe(
      'broken.yaml:6: steps[0].crashRegion.region: expected a region name such as us-east-1, found "US-East-1"');
  });

  it('suggests the closest step kind for a misspelt one', () => {
    expect(message(`${HEAD}${CREATE}  - heal:\n  - heal:\n  - partiton: { from: us-east-1, to: eu-west-1 }\n`)).toBe(
      'broken.yaml:9: steps[3]: unknown step "partiton"; expected one of createTable, addReplica, removeReplica, enableTtl, put, update, delete, transact, get, query, workload, '
      + 'latency, networkFaults, partition, heal, crashRegion, restartRegion, crashNats, restartNats, clockSkew, clockJump, sleep, '
      + 'waitConverged, expect; did you mean "partition"?');
  });

  it('suggests nothing when no step kind is close', () => {
    expect(message(`${HEAD}  - teleport: { region: us-east-1 }\n`)).not.toContain('did you mean');
  });

  it('wants each step to be a map with one key', () => {
    expect(message(`${HEAD}  - sleep\n`)).toBe('broken.yaml:6: steps[0]: expected a map with one key, the step kind, found "sleep"');
  });

  it('spots step fields written beside the kind instead of under it', () => {
    expect(message(`${HEAD}  - crashRegion:\n    region: us-east-1\n`)).toBe(
      'broken.yaml:6: steps[0]: expected a map with one key, the step kind, found a map with crashRegion, region; indent the fields of "crashRegion" under it');
  });

  it('names unknown keys in a step and the required ones that are missing', () => {
    expect(message(`${HEAD}${CREATE}  - put:\n      regoin: us-east-1\n      table: orders\n      item: { id: a }\n`)).toBe(
      'broken.yaml:7: steps[1].put.region: required\nbroken.yaml:8: steps[1].put.regoin: unknown key "regoin"');
  });

  it('treats a step written with no value as one with no arguments', () => {
    expect(message(`${HEAD}  - heal:\n  - sleep:\n`)).toBe('broken.yaml:7: steps[1].sleep.ms: required');
  });

  it('gives the bounds of numbers and lists', () => {
    expect(message(`${HEAD}${CREATE}  - workload: { table: orders, durationMs: -1, ratePerSecond: 9000 }\n  - partition: { groups: [[us-east-1]] }\n`)).toBe(
      'broken.yaml:7: steps[1].workload.durationMs: expected a number >= 0, found -1\n'
      + 'broken.yaml:7: steps[1].workload.ratePerSecond: expected a number <= 5000, found 9000\n'
      + 'broken.yaml:8: steps[2].partition.groups: expected at least 2 items, found a list of 1');
  });

  it('says which forms a union accepts', () => {
    expect(message(`${HEAD}  - createTable: { table: orders, key: { id: S }, replicas: some }\n  - partition: {}\n  - expect: { converged: false }\n`)).toBe(
      'broken.yaml:6: steps[0].createTable.replicas: expected "all" or a list, found "some"\n'
      + 'broken.yaml:7: steps[1].partition: expected a map with groups or a map with from and to, found an empty map\n'
      + 'broken.yaml:8: steps[2].expect.converged: expected true, found false');
  });

  it('follows the one union form that has the keys written', () => {
    expect(message(`${HEAD}  - partition: { groups: east }\n`)).toBe('broken.yaml:6: steps[0].partition.groups: expected a list, found "east"');
  });

  it('rejects regions that are not declared', () => {
    expect(message(`${HEAD}${CREATE}  - partition:\n      groups: [[us-east-1], [us-west-2]]\n`)).toBe(
      'broken.yaml:8: steps[1].partition.groups[1][0]: region "us-west-2" is not declared; declared: us-east-1, eu-west-1');
    expect(message(`${HEAD}${CREATE}  - expect: { item: { table: orders, key: { id: a }, region: ap-south-1 } }\n`)).toBe(
      'broken.yaml:7: steps[1].expect.item.region: region "ap-south-1" is not declared; declared: us-east-1, eu-west-1');
  });

  it('does not take item data for region names', () => {
    expect(() => parseScenario(`${HEAD}${CREATE}  - put: { region: us-east-1, table: orders, item: { id: a, region: mars } }\n`, 'f.yaml')).not.toThrow();
  });

  it('rejects a region declared twice', () => {
    expect(message('name: x\nregions:\n  - name: us-east-1\n  - name: us-east-1\nsteps:\n  - heal:\n')).toBe(
      'broken.yaml:4: regions[1].name: region "us-east-1" is declared twice (also regions[0])');
  });

  it('rejects a table that no earlier createTable step creates', () => {
    expect(message(`${HEAD}  - put: { region: us-east-1, table: orders, item: { id: a } }\n${CREATE}`)).toBe(
      'broken.yaml:6: steps[0].put.table: table "orders" is used before steps[1] creates it');
    expect(message(`${HEAD}${CREATE}  - waitConverged: { tables: [orders, invoices] }\n`)).toBe(
      'broken.yaml:7: steps[1].waitConverged.tables[1]: table "invoices" is not created by any createTable step');
  });

  it('checks the table steps: a TTL attribute, declared regions, a coordinator other than the region itself', () => {
    expect(message(`${HEAD}${CREATE}  - enableTtl: { table: orders }\n`)).toBe('broken.yaml:7: steps[1].enableTtl.attribute: required');
    expect(message(`${HEAD}${CREATE}  - enableTtl: { table: orders, attribute: ttl }\n  - removeReplica: { table: orders, region: us-west-2 }\n  - addReplica: { table: orders, region: eu-west-1, from: eu-west-1 }\n`)).toBe(
      'broken.yaml:8: steps[2].removeReplica.region: region "us-west-2" is not declared; declared: us-east-1, eu-west-1\n'
      + 'broken.yaml:9: steps[3].addReplica.from: from and region are both "eu-west-1"; expected another region holding the table to coordinate');
  });

  it('rejects a region in two partition groups', () => {
    expect(message(`${HEAD}  - partition: { groups: [[us-east-1, eu-west-1], [eu-west-1]] }\n`)).toBe(
      'broken.yaml:6: steps[0].partition.groups[1][0]: region "eu-west-1" is already in groups[0]');
  });

  it('rejects a link from a region to itself', () => {
    expect(message(`${HEAD}  - latency: { from: eu-west-1, to: eu-west-1, ms: 5 }\n  - partition:\n      from: us-east-1\n      to: us-east-1\n`)).toBe(
      'broken.yaml:6: steps[0].latency.to: from and to are both "eu-west-1"; expected two different regions\n'
      + 'broken.yaml:9: steps[1].partition.to: from and to are both "us-east-1"; expected two different regions');
  });
});
