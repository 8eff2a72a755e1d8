/**
 * Three regions on three hosts of a real network: each region and its own nats-server in a network
 * namespace of their own, on one bridge, started with docker-compose.yml's commands; this process
 * is a client on the same bridge. The faults are the kernel's: netem on a region's link, and a
 * partition that drops every packet at its bridge port.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDelay, checkLossy, checkPartition, createNetnsGlobalTable } from '../../scripts/netns/checks.js';
import { NAMESPACE_PREFIX, sweepStaleNetworks } from '../../scripts/netns/network.js';
import { leftBehind, netemSupport, netnsClusterSupport, processesIn, runsHere, startNetnsCluster, type NetnsCluster } from '../helpers/netnsCluster.js';

const clusterRuns = runsHere('netns cluster', netnsClusterSupport());
const netemRuns = clusterRuns && runsHere('netns cluster netem faults', netemSupport());

describe.skipIf(!clusterRuns)('regions on separate hosts of a real network', () => {
  let cluster: NetnsCluster | undefined;
  const table = `netns-${process.pid}`;

  beforeAll(async () => {
    cluster = await startNetnsCluster();
    await createNetnsGlobalTable(cluster, table);
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('reaches every region at its own address, each with its nats-server there, and the regions found each other through those addresses', async () => {
    for (const region of cluster!.regions) {
      expect(region.address).toMatch(/^10\.214\.\d+\.1[1-3]$/);
      const info = await region.admin<{ natsUrl: string; peers: string[] }>('/admin/info');
      expect(info.natsUrl).toBe(`nats://${region.address}:4222`);
      expect(info.peers.sort()).toEqual(cluster!.regions.filter((r) => r !== region).map((r) => r.name).sort());
    }
    // Guarded routes need the token: the regions listen on every address.
    const unguarded = await fetch(`${cluster!.regions[0].endpoint}/admin/clock`, { method: 'PUT', body: '{"skewMs":0}', headers: { 'content-type': 'application/json' } });
    expect(unguarded.status).toBe(401);
  });

  it.skipIf(!netemRuns)('keeps replicating under 80 ± 20 ms of delay on one region, whose changes the others then measure at least that late', async () => {
    const result = await checkDelay(cluster!, table, { region: 'eu-west-1', delayMs: 80, jitterMs: 20, writesPerRegion: 40 });
    expect(result.acknowledged).toBe(result.writes);
    expect(Object.keys(result.lagP50Ms).sort()).toEqual(['ap-southeast-2', 'us-east-1']);
  }, 60_000);

  it.skipIf(!netemRuns)('delivers every acknowledged write through 10% loss, 5% duplication and 25% reordering on one region, and converges once removed', async () => {
    const result = await checkLossy(cluster!, table, {
      region: 'ap-southeast-2', spec: { delayMs: 10, lossPercent: 10, duplicatePercent: 5, reorderPercent: 25 }, writesPerRegion: 40,
    });
    expect(result.acknowledged).toBeGreaterThan(0);
  }, 60_000);

  it('heals a partition of one region written on both sides: conflicts logged, only last-writer-wins losers lost, converged', async () => {
    const result = await checkPartition(cluster!, table, { region: 'ap-southeast-2', otherSide: 'us-east-1', sharedKeys: 10, ownKeys: 10, rounds: 3 });
    expect(result.acknowledged).toBe(result.writes);
    expect(result.conflicts).toBeGreaterThanOrEqual(result.sharedKeys);
    expect(result.wonBy['ap-southeast-2'] + result.wonBy['us-east-1']).toBe(result.sharedKeys);
  }, 60_000);

  it('leaves no namespace, address or process behind once stopped', async () => {
    const pids = processesIn(cluster!);
    expect(pids.length).toBeGreaterThanOrEqual(6); // a region and a nats-server per host
    await cluster!.stop();
    expect(leftBehind(cluster!, pids)).toEqual([]);
  }, 30_000);
});

describe.skipIf(!clusterRuns)('the stale network sweep', () => {
  it('removes the namespaces of a run whose process is gone, and no others', () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const stale = `${NAMESPACE_PREFIX}${dead}-1-bridge`;
    const live = `${NAMESPACE_PREFIX}${process.pid}-sweep`;
    execFileSync('ip', ['netns', 'add', stale]);
    execFileSync('ip', ['netns', 'add', live]);
    try {
      expect(sweepStaleNetworks()).toContain(stale);
      const left = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
      expect(left).not.toContain(stale);
      expect(left).toContain(live);
    } finally {
      for (const ns of [stale, live]) spawnSync('ip', ['netns', 'delete', ns]);
    }
  });
});
