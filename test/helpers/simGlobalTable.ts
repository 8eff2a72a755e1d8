/**
 * A simulated 3-region cluster holding one global table, and what the simulated model-based test
 * reads of it beyond stored records and digests (modelRegion.ts): replication pairs, and a drain
 * that waits (virtual time) until every replication pair has applied everything its source logged.
 */
import type { Granularity } from '../../src/core/lww.js';
import { SimulatedCluster } from '../../src/sim/cluster.js';
import type { SimRegionConfig, SimRegion } from '../../src/sim/region.js';
import { behindOf } from '../../src/scenario/steps/drain.js';
import { digestOf } from './modelRegion.js';

export { keyOf, REGIONS, type RegionName, type StoredRecord } from './modelRegion.js';

export const TABLE = 'model';

/** Short enough that tombstones are purged within a history, which then checks no delete came undone. */
export const TOMBSTONE_RETENTION_MS = 2000;

/** Two hybrid logical clocks and one wall clock (DynamoDB's own rule: a skewed wall clock can lose). */
function regionConfigs(granularity: Granularity): SimRegionConfig[] {
  const settings = { tombstoneRetentionMs: TOMBSTONE_RETENTION_MS };
  return [
    { name: 'us-east-1', clockMode: 'hlc', skewMs: 0, granularity, settings },
    { name: 'eu-west-1', clockMode: 'wall', skewMs: 0, granularity, settings },
    { name: 'ap-southeast-2', clockMode: 'hlc', skewMs: 0, granularity, settings },
  ];
}

export class ReplicaNotActiveError extends Error {
  constructor(readonly region: string, readonly waitedMs: number) {
    super(`replica of ${TABLE} in ${region} not ACTIVE after ${waitedMs} ms of virtual time`);
    this.name = 'ReplicaNotActiveError';
  }
}

export function sleep(cluster: SimulatedCluster, ms: number): Promise<void> {
  return new Promise<void>((resolve) => { cluster.scheduler.schedule(ms, resolve); });
}

/** Starts the cluster and makes TABLE global across all regions (call outside any cluster.run). */
export async function startGlobalTable(seed: number, granularity: Granularity = 'item'): Promise<SimulatedCluster> {
  const cluster = await SimulatedCluster.start({ seed, regions: regionConfigs(granularity) });
  await cluster.run(createGlobalTable(cluster));
  return cluster;
}

async function createGlobalTable(cluster: SimulatedCluster): Promise<void> {
  const [creator, ...others] = cluster.regions;
  await creator.call('CreateTable', {
    TableName: TABLE,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  });
  for (const region of others) {
    await creator.call('UpdateTable', { TableName: TABLE, ReplicaUpdates: [{ Create: { RegionName: region.name } }] });
    const waitLimitMs = 120_000;
    const startedMs = cluster.nowMs;
    while (!(await replicaActive(creator, region.name))) {
      if (cluster.nowMs - startedMs > waitLimitMs) throw new ReplicaNotActiveError(region.name, waitLimitMs);
      await sleep(cluster, 50);
    }
  }
}

async function replicaActive(coordinator: SimRegion, region: string): Promise<boolean> {
  const { Table } = await coordinator.call<{ Table: { Replicas?: { RegionName: string; ReplicaStatus: string }[] } }>('DescribeTable', { TableName: TABLE });
  return Table.Replicas?.find((r) => r.RegionName === region)?.ReplicaStatus === 'ACTIVE';
}

interface PairView { source: string; checkpoint: number; pending: number; connected: boolean; resyncs: number }

export async function replicationPairs(region: SimRegion): Promise<PairView[]> {
  return (await region.admin<{ replication: PairView[] }>('/admin/status')).replication;
}

/** Each region's tombstone counters (/admin/metrics). */
export async function tombstoneCountsOf(region: SimRegion): Promise<{ purged: number; possibleResurrections: number }> {
  return (await region.admin<{ tombstones: { purged: number; possibleResurrections: number } }>('/admin/metrics')).tombstones;
}

/**
 * Waits until every region's digest is the same; returns them as last read. Drained replicas can
 * still differ for a while: each purges a tombstone every replica holds at its own moment.
 */
export async function settledDigests(cluster: SimulatedCluster, limitMs: number, pollMs = 100): Promise<string[]> {
  const startedMs = cluster.nowMs;
  for (;;) {
    const digests = await Promise.all(cluster.regions.map((region) => digestOf(region, TABLE)));
    if (new Set(digests).size === 1 || cluster.nowMs - startedMs >= limitMs) return digests;
    await sleep(cluster, pollMs);
  }
}

/** Waits until drained; returns the pairs still behind when `limitMs` of virtual time ran out (empty: drained). */
export async function drain(cluster: SimulatedCluster, limitMs: number, pollMs = 100): Promise<string[]> {
  const startedMs = cluster.nowMs;
  for (;;) {
    // The scenario step's own drain: every region's own changes published and applied by every peer.
    const behind = await behindOf(cluster.regions.filter((r) => r.running));
    if (behind.length === 0 || cluster.nowMs - startedMs >= limitMs) return behind;
    await sleep(cluster, pollMs);
  }
}

export type { SimRegion };
