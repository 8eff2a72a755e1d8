import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createGlobalTable, eventually, startCluster, type TestCluster } from '../helpers/cluster.js';

let cluster: TestCluster;
beforeAll(async () => { cluster = await startCluster(); }, 60_000);
afterAll(async () => { await cluster?.stop(); });

describe('global table replication (in-process regions, real NATS)', () => {
  it('replicates a write made in any region to every other region', async () => {
    await createGlobalTable(cluster, 'basic');
    const { Table } = await cluster.byName('us-east-1').client.send(new DescribeTableCommand({ TableName: 'basic' }));
    expect(Table?.GlobalTableVersion).toBe('2019.11.21');
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    for (const writer of cluster.regions) {
      await writer.doc.send(new PutCommand({ TableName: 'basic', Item: { pk: `from-${writer.name}`, n: 1 } }));
    }
    for (const reader of cluster.regions) {
      for (const writer of cluster.regions) {
        await eventually(async () => (await reader.doc.send(new GetCommand({ TableName: 'basic', Key: { pk: `from-${writer.name}` } }))).Item, 10_000, `${writer.name} → ${reader.name}`);
      }
    }
  });

  it('converges concurrent writes of one item to the higher version everywhere and logs the conflict', async () => {
    const [a, b] = cluster.regions;
    await cluster.admin(b.name, `/admin/links/${a.name}`, { method: 'PUT', body: { stalled: true } });
    await cluster.admin(a.name, `/admin/links/${b.name}`, { method: 'PUT', body: { stalled: true } });
    await a.doc.send(new PutCommand({ TableName: 'basic', Item: { pk: 'contested', by: a.name } }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await b.doc.send(new PutCommand({ TableName: 'basic', Item: { pk: 'contested', by: b.name } }));
    await cluster.admin(b.name, '/admin/links/heal', { method: 'POST' });
    await cluster.admin(a.name, '/admin/links/heal', { method: 'POST' });
    for (const r of cluster.regions) {
      await eventually(async () => (await r.doc.send(new GetCommand({ TableName: 'basic', Key: { pk: 'contested' } }))).Item?.by === b.name, 15_000, `b's write wins in ${r.name}`);
    }
    const conflicts = await cluster.admin<{ conflicts: { keys: unknown; winner: { origin: string }; loser: { origin: string }; reason: string }[] }>(a.name, '/admin/conflicts?table=basic');
    expect(conflicts.conflicts.find((c) => JSON.stringify(c.keys).includes('contested'))).toMatchObject({ winner: { origin: b.name }, loser: { origin: a.name }, reason: 'newer-timestamp' });
  });

  it('a delete and an update race; every region ends with the newer one', async () => {
    const [a, b, c] = cluster.regions;
    await a.doc.send(new PutCommand({ TableName: 'basic', Item: { pk: 'race', v: 0 } }));
    for (const r of cluster.regions) await eventually(async () => (await r.doc.send(new GetCommand({ TableName: 'basic', Key: { pk: 'race' } }))).Item, 10_000);
    await b.doc.send(new UpdateCommand({ TableName: 'basic', Key: { pk: 'race' }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': 1 } }));
    await c.doc.send(new DeleteCommand({ TableName: 'basic', Key: { pk: 'race' } }));
    const digests = async () => Promise.all(cluster.regions.map((r) => cluster.admin<{ digest: string }>(r.name, '/admin/digest?table=basic')));
    await eventually(async () => new Set((await digests()).map((d) => d.digest)).size === 1, 15_000, 'digests equal');
    const final = await Promise.all(cluster.regions.map(async (r) => (await r.doc.send(new GetCommand({ TableName: 'basic', Key: { pk: 'race' } }))).Item));
    expect(final).toEqual([undefined, undefined, undefined]);
  });
});

describe('replication metrics', () => {
  it('reports per-pair latency, pending and counters as Prometheus text and as JSON', async () => {
    const text = await (await fetch(`${cluster.byName('eu-west-1').region.endpoint}/metrics`)).text();
    expect(text).toMatch(/^globaltables_replication_latency_ms\{source="us-east-1",target="eu-west-1",quantile="0.99"\} \d+(\.\d+)?$/m);
    expect(text).toMatch(/^globaltables_pending_replication_count\{source="us-east-1",target="eu-west-1"\} \d+$/m);
    expect(text).toMatch(/^globaltables_replication_applied_total\{source="ap-southeast-2",target="eu-west-1"\} [1-9]\d*$/m);
    const json = await cluster.admin<{ replication: { source: string; applied: number; lagMs: { p50: number | null } }[] }>('eu-west-1', '/admin/metrics');
    expect(json.replication.map((p) => p.source).sort()).toEqual(['ap-southeast-2', 'us-east-1']);
    expect(json.replication.every((p) => p.applied > 0 && p.lagMs.p50 !== null)).toBe(true);
  });
});
