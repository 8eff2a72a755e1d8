/**
 * Nothing a peer sends can poison a region's hybrid logical clock: a version stamped beyond what any
 * clock within bounds can read (here by a region whose own guard is bypassed, as a broken or older
 * peer would: PutItem runs with the forced timestamp directly, past dispatch's bounds) still
 * replicates and wins by last-writer-wins, but the receiving clock does not absorb it, counts it,
 * and keeps stamping true time. The same holds for a region restarted on a log that holds such a
 * version.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { putItem } from '../../src/dynamo/ops/putItem.js';
import type { RegionContext } from '../../src/dynamo/context.js';
import { startRegion } from '../../src/region/region.js';
import { createGlobalTable, eventually, startCluster, waitConverged, type TestCluster } from '../helpers/cluster.js';
import { clientFor } from '../helpers/region.js';

const POISON_TS = 1e300;
const NAMES = ['us-east-1', 'eu-west-1'];

interface StoredVersion { ts: number; counter: number }

/** A PutItem stamped POISON_TS: past dispatch, which would refuse it. */
async function putPoisoned(ctx: RegionContext, table: string, item: Record<string, { S: string }>): Promise<void> {
  await putItem.run(ctx, { TableName: table, Item: item }, { timestampMs: POISON_TS });
}

async function versionOf(admin: <T>(path: string) => Promise<T>, table: string, pk: string): Promise<StoredVersion> {
  const key = encodeURIComponent(JSON.stringify({ pk: { S: pk } }));
  return (await admin<{ record: { version: StoredVersion } }>(`/admin/item?table=${table}&key=${key}`)).record.version;
}

describe('a replicated version far ahead of true time', () => {
  let cluster: TestCluster;
  beforeAll(async () => { cluster = await startCluster(NAMES); }, 60_000);
  afterAll(async () => { await cluster?.stop(); });

  it('replicates and converges, but does not drag the receiving clock, which counts it', async () => {
    const [east, west] = cluster.regions;
    const westAdmin = <T>(path: string) => cluster.admin<T>(west.name, path);
    await createGlobalTable(cluster, 'poisoned');
    await putPoisoned(east.region.ctx, 'poisoned', { pk: { S: 'far' }, by: { S: 'east' } });
    await eventually(async () => (await west.client.send(new GetItemCommand({ TableName: 'poisoned', Key: { pk: { S: 'far' } } }))).Item?.by?.S === 'east');
    await waitConverged(cluster.regions.map((r) => ({ name: r.name, admin: <T>(path: string) => cluster.admin<T>(r.name, path) })), 'poisoned');
    expect((await versionOf(westAdmin, 'poisoned', 'far')).ts).toBe(POISON_TS);

    expect(await westAdmin('/admin/clock')).toMatchObject({ ignoredVersionCount: 1 });
    expect(await (await fetch(`${west.region.endpoint}/metrics`)).text()).toContain('globaltables_clock_ignored_versions_total{region="eu-west-1"} 1');
    const before = Date.now();
    await west.client.send(new PutItemCommand({ TableName: 'poisoned', Item: { pk: { S: 'near' } } }));
    const version = await versionOf(westAdmin, 'poisoned', 'near');
    expect(version.ts).toBeGreaterThanOrEqual(before);
    expect(version.ts).toBeLessThanOrEqual(Date.now());
  });
});

describe('a region restarted on a log that holds such a version', () => {
  it('does not absorb it into its clock', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'globaltables-ceiling-'));
    try {
      const first = await startRegion({ name: 'us-east-1', port: 0, dataDir });
      const client = clientFor(first.endpoint);
      await client.send(new CreateTableCommand({
        TableName: 'restarted', BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }));
      await putPoisoned(first.ctx, 'restarted', { pk: { S: 'far' } });
      client.destroy();
      await first.close();

      const second = await startRegion({ name: 'us-east-1', port: 0, dataDir });
      try {
        expect(second.ctx.clockState.ignoredVersionCount).toBe(1);
        const again = clientFor(second.endpoint);
        const before = Date.now();
        await again.send(new PutItemCommand({ TableName: 'restarted', Item: { pk: { S: 'near' } } }));
        again.destroy();
        const admin = async <T>(path: string): Promise<T> => (await fetch(`${second.endpoint}${path}`)).json() as Promise<T>;
        expect((await versionOf(admin, 'restarted', 'near')).ts).toBeGreaterThanOrEqual(before);
        expect((await versionOf(admin, 'restarted', 'near')).ts).toBeLessThanOrEqual(Date.now());
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
