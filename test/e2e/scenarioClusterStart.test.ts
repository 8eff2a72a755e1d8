/**
 * A scenario's cluster is started when every region follows every other's stream, not merely when
 * each answers HTTP: otherwise the first writes wait for replication to connect, and their lag in
 * the report measures the cluster's start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScenarioCluster } from '../../src/scenario/cluster.js';

describe('a started scenario cluster', () => {
  let cluster: ScenarioCluster;
  beforeAll(async () => {
    const clock = { mode: 'hlc' as const, skewMs: 0 };
    cluster = await ScenarioCluster.start({ regions: [{ name: 'us-east-1', clock }, { name: 'eu-west-1', clock }, { name: 'ap-southeast-2', clock }], granularity: 'item' });
  }, 60_000);
  afterAll(async () => { await cluster?.stop(); });

  it('has every region following every other when start returns', async () => {
    for (const region of cluster.regions) {
      const metrics = await region.admin<{ replication: { source: string; connected: boolean }[] }>('/admin/metrics');
      const peers = cluster.regions.filter((r) => r !== region).map((r) => r.name).sort();
      expect(metrics.replication.filter((p) => p.connected).map((p) => p.source).sort()).toEqual(peers);
    }
  });
});
