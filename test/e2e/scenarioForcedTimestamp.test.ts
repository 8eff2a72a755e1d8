/**
 * A scenario write's `timestampMs` travels with that write, as the forced-timestamp header with the
 * run's admin token: it stamps that write only, a write that fails leaves nothing behind for the
 * next one, and the header without the token is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callDynamo, DynamoCallError } from '../../src/scenario/client.js';
import { ScenarioCluster } from '../../src/scenario/cluster.js';
import { RealTargets } from '../../src/scenario/realTargets.js';
import { seededRandom, type RunContext } from '../../src/scenario/context.js';
import { Recorder } from '../../src/scenario/recorder.js';
import { parseScenario } from '../../src/scenario/load.js';
import { write } from '../../src/scenario/steps/data.js';
import { createTable } from '../../src/scenario/steps/tables.js';

const SCENARIO = parseScenario([
  'name: forced timestamps',
  'regions:',
  '  - { name: us-east-1, clock: { mode: wall } }',
  'steps:',
  '  - sleep: { ms: 1 }',
  '',
].join('\n'), 'inline.yaml');

describe('a scenario write with timestampMs', () => {
  let cluster: ScenarioCluster;
  let ctx: RunContext;
  beforeAll(async () => {
    cluster = await ScenarioCluster.start(SCENARIO);
    ctx = { scenario: SCENARIO, targets: new RealTargets(cluster), recorder: new Recorder(() => Date.now()), random: seededRandom(1), keyNames: new Map(), replicas: new Map(), log: () => undefined };
    await createTable(ctx, { table: 'notes', key: { id: 'S' }, replicas: 'all' });
  }, 40_000);
  afterAll(async () => { await cluster?.stop(); });

  const versionOf = async (id: string): Promise<{ ts: number } | null> => {
    const key = encodeURIComponent(JSON.stringify({ id: { S: id } }));
    const { record } = await cluster.region('us-east-1').admin<{ record: { version: { ts: number } } | null }>(`/admin/item?table=notes&key=${key}`);
    return record?.version ?? null;
  };

  it('stamps that write only, even after a write that failed', async () => {
    await write(ctx, 'put', { region: 'us-east-1', table: 'notes', item: { id: 'a' }, timestampMs: 1_000 }, 0);
    expect((await versionOf('a'))?.ts).toBe(1_000);
    const failed = await write(ctx, 'put', {
      region: 'us-east-1', table: 'notes', item: { id: 'a', v: 2 }, condition: 'attribute_not_exists(id)',
      expectError: 'ConditionalCheckFailedException', timestampMs: 2_000,
    }, 1);
    expect(failed).toContain('as expected');
    const before = Date.now();
    await write(ctx, 'update', { region: 'us-east-1', table: 'notes', key: { id: 'b' }, set: { v: 1 } }, 2);
    expect((await versionOf('b'))?.ts).toBeGreaterThanOrEqual(before);
    await write(ctx, 'delete', { region: 'us-east-1', table: 'notes', key: { id: 'b' }, timestampMs: Date.now() + 60_000 }, 3);
    expect((await versionOf('b'))?.ts).toBeGreaterThan(Date.now());
  });

  it('is refused without the run\'s admin token', async () => {
    const endpoint = cluster.region('us-east-1').endpoint;
    const refused = await callDynamo(endpoint, 'PutItem', { TableName: 'notes', Item: { id: { S: 'c' } } }, 5_000, { timestampMs: 1_000 })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DynamoCallError);
    expect((refused as DynamoCallError).status).toBe(401);
    expect((refused as DynamoCallError).message).toMatch(/admin token/);
    expect(await versionOf('c')).toBeNull();
  });
});
