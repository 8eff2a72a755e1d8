/**
 * Global tables end to end: three region processes, three embedded nats-servers, the AWS SDK, and
 * real faults (SIGKILL of a region and of a nats-server, stalled links).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { addReplica, allKeys, createGlobalTable, eventually, waitConverged } from '../helpers/cluster.js';
import { startProcessCluster, type ProcessCluster, type RegionProcess } from '../helpers/regionProcesses.js';

const NAMES = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
let cluster: ProcessCluster;
beforeAll(async () => { cluster = await startProcessCluster(NAMES); }, 60_000);
afterAll(async () => { await cluster?.stop(); }, 30_000);

/** Writes distinct keys until stopped or the region fails; returns the keys it saw acknowledged. */
function writer(region: RegionProcess, table: string, prefix: string) {
  const acknowledged: string[] = [];
  let stopped = false;
  const done = (async () => {
    for (let n = 0; !stopped; n += 1) {
      const pk = `${prefix}-${n}`;
      try {
        await region.doc.send(new PutCommand({ TableName: table, Item: { pk, from: region.name } }));
        acknowledged.push(pk);
      } catch {
        return;
      }
    }
  })();
  return { acknowledged, async stop() { stopped = true; await done; } };
}

describe('global tables across region processes', () => {
  it('replicates writes from every region, and loses no acknowledged write when a region is SIGKILLed mid-run', async () => {
    await createGlobalTable(cluster, 'orders');
    const [east, west, south] = cluster.regions;
    const writers = cluster.regions.map((r) => writer(r, 'orders', r.name));
    await eventually(async () => writers.every((w) => w.acknowledged.length >= 100), 20_000, 'writes flowing');
    await west.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await west.start();
    const restarted = writer(west, 'orders', 'west-after');
    await eventually(async () => restarted.acknowledged.length >= 50, 20_000, 'restarted region accepts writes');
    for (const w of [...writers, restarted]) await w.stop();
    await waitConverged([east, west, south], 'orders');
    const expected = [...writers, restarted].flatMap((w) => w.acknowledged);
    for (const region of cluster.regions) {
      const keys = await allKeys(region.doc, 'orders');
      expect(expected.filter((pk) => !keys.has(pk)), `missing in ${region.name}`).toEqual([]);
    }
  }, 90_000);

  it('holds changes back while a link is stalled and converges after heal', async () => {
    const [east, , south] = cluster.regions;
    await south.admin(`/admin/links/${east.name}`, { method: 'PUT', body: { stalled: true } });
    for (let i = 0; i < 50; i += 1) await east.doc.send(new PutCommand({ TableName: 'orders', Item: { pk: `stalled-${i}` } }));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await south.doc.send(new GetCommand({ TableName: 'orders', Key: { pk: 'stalled-49' } }))).Item).toBeUndefined();
    expect((await cluster.regions[1].doc.send(new GetCommand({ TableName: 'orders', Key: { pk: 'stalled-49' } }))).Item).toBeDefined();
    await south.admin(`/admin/links/${east.name}/heal`, { method: 'POST' });
    await waitConverged(cluster.regions, 'orders');
    expect((await south.doc.send(new GetCommand({ TableName: 'orders', Key: { pk: 'stalled-49' } }))).Item).toBeDefined();
  }, 60_000);

  it('keeps replicating after a region\'s nats-server is SIGKILLed (the region starts it again)', async () => {
    const [east] = cluster.regions;
    const { natsPid } = await east.admin<{ natsPid: number }>('/admin/info');
    process.kill(natsPid, 'SIGKILL');
    for (let i = 0; i < 50; i += 1) await east.doc.send(new PutCommand({ TableName: 'orders', Item: { pk: `nats-down-${i}` } }));
    await eventually(async () => (await east.admin<{ natsPid: number }>('/admin/info')).natsPid !== natsPid, 15_000, 'nats-server restarted');
    await waitConverged(cluster.regions, 'orders', 40_000);
    for (const region of cluster.regions) {
      expect((await region.doc.send(new GetCommand({ TableName: 'orders', Key: { pk: 'nats-down-49' } }))).Item, region.name).toBeDefined();
    }
  }, 60_000);

  it('backfills a replica added to a table that already has items, while another region keeps writing', async () => {
    const [east, west, south] = cluster.regions;
    await east.client.send(new CreateTableCommand({
      TableName: 'catalog', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }));
    await eventually(async () => (await east.client.send(new DescribeTableCommand({ TableName: 'catalog' }))).Table?.TableStatus === 'ACTIVE');
    await addReplica(east, 'catalog', west.name);
    for (let i = 0; i < 300; i += 1) await east.doc.send(new PutCommand({ TableName: 'catalog', Item: { pk: `item-${i}`, price: i } }));
    const busy = writer(west, 'catalog', 'during-backfill');
    await addReplica(east, 'catalog', south.name);
    await busy.stop();
    await waitConverged(cluster.regions, 'catalog');
    const keys = await allKeys(south.doc, 'catalog');
    expect(keys.size).toBe(300 + busy.acknowledged.length);
  }, 90_000);
});
