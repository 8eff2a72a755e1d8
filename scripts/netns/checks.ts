/**
 * The fault sequence on a namespace cluster, shared by the end-to-end test and `npm run
 * netns-cluster -- --check`: each check impairs the real network, writes, removes the fault and
 * waits on signals (every allowed final in place, digests equal, nothing pending) within a deadline.
 * A check that does not hold throws CheckFailedError saying what it saw.
 */
import { join } from 'node:path';
import { createGlobalTable, eventually, waitConverged } from '../../test/helpers/cluster.js';
import type { NetnsCluster, NetnsRegion } from './cluster.js';
import type { NetemSpec } from './faults.js';
import { REPOSITORY_ROOT } from './hostCommands.js';
import type { RegionMetrics } from '../../src/http/metricsView.js';
import type { WriterInput } from './writer.js';
import { finalsAllowed, misplaced, tagsByKey, writeKeys, type WriteOutcome, type WritePlan } from './writes.js';

export class CheckFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailedError';
  }
}

const SETTLE_TIMEOUT_MS = 30_000;

function check(holds: boolean, message: () => string): void {
  if (!holds) throw new CheckFailedError(message());
}

export async function createNetnsGlobalTable(cluster: NetnsCluster, table: string): Promise<void> {
  await createGlobalTable(cluster, table);
}

/** Every region holds one of each key's allowed finals, digests are equal and nothing is pending anywhere. */
export async function waitSettled(cluster: NetnsCluster, table: string, outcomes: WriteOutcome[], timeoutMs = SETTLE_TIMEOUT_MS): Promise<void> {
  const allowed = finalsAllowed(outcomes);
  await eventually(async () => {
    for (const region of cluster.regions) {
      const wrong = misplaced(await tagsByKey(region.doc, table), allowed);
      if (wrong.length) throw new CheckFailedError(`${region.name}: ${wrong.length} keys not as written, e.g. ${wrong.slice(0, 3).join('; ')}`);
    }
    return true;
  }, timeoutMs, 'every acknowledged write in every region');
  await waitConverged(cluster.regions, table, timeoutMs);
  await eventually(async () => {
    for (const region of cluster.regions) {
      const { replication } = await region.admin<RegionMetrics>('/admin/metrics');
      const behind = replication.filter((pair) => pair.pending !== 0 || !pair.connected);
      if (behind.length) throw new CheckFailedError(`${region.name} behind ${behind.map((p) => `${p.source} (pending ${p.pending}, ${p.connected ? 'connected' : 'not connected'})`).join(', ')}`);
    }
    return true;
  }, timeoutMs, 'nothing pending in any region');
}

function burst(cluster: NetnsCluster, table: string, label: string, keysPerRegion: number, rounds = 1): Promise<WriteOutcome[][]> {
  return Promise.all(cluster.regions.map((region) => writeKeys(region.doc, {
    region: region.name, table, label, rounds, concurrency: 6,
    keys: Array.from({ length: keysPerRegion }, (_, i) => `${label}-${region.name}-${i}`),
  })));
}

const acknowledgedCount = (outcomes: WriteOutcome[]): number => outcomes.filter((o) => o.acknowledged).length;

export interface DelayResult {
  writes: number;
  acknowledged: number;
  /** Replication lag p50 of the impaired region's changes, as each other region measured it. */
  lagP50Ms: Record<string, number>;
}

/** Delay with jitter on one region's link: writes keep flowing, all arrive, and the others' measured lag of its changes is at least the delay. */
export async function checkDelay(cluster: NetnsCluster, table: string, options: { region: string; delayMs: number; jitterMs: number; writesPerRegion: number }): Promise<DelayResult> {
  const { region, delayMs, jitterMs } = options;
  cluster.faults.impair(region, { delayMs, jitterMs });
  let outcomes: WriteOutcome[];
  const lagP50Ms: Record<string, number> = {};
  try {
    outcomes = (await burst(cluster, table, 'delay', options.writesPerRegion)).flat();
    check(acknowledgedCount(outcomes) === outcomes.length, () => `under delay only, every write is acknowledged: ${outcomes.length - acknowledgedCount(outcomes)} of ${outcomes.length} failed`);
    await waitSettled(cluster, table, outcomes);
    for (const other of cluster.regions.filter((r) => r.name !== region)) {
      const { replication } = await other.admin<RegionMetrics>('/admin/metrics');
      const p50 = replication.find((pair) => pair.source === region)?.lagMs.p50 ?? null;
      check(p50 !== null && p50 >= delayMs - jitterMs, () => `${other.name} measured a lag p50 of ${p50} ms for ${region}'s changes; its link delays every packet by ${delayMs} ± ${jitterMs} ms`);
      lagP50Ms[other.name] = p50!;
    }
  } finally {
    cluster.faults.restore(region);
  }
  return { writes: outcomes.length, acknowledged: acknowledgedCount(outcomes), lagP50Ms };
}

export interface LossyResult {
  writes: number;
  acknowledged: number;
}

/** Loss, duplication and reordering on one region's link during a burst in every region, then removed: every acknowledged write arrives, digests converge. */
export async function checkLossy(cluster: NetnsCluster, table: string, options: { region: string; spec: NetemSpec; writesPerRegion: number }): Promise<LossyResult> {
  cluster.faults.impair(options.region, options.spec);
  let outcomes: WriteOutcome[];
  try {
    outcomes = (await burst(cluster, table, 'lossy', options.writesPerRegion)).flat();
  } finally {
    cluster.faults.restore(options.region);
  }
  await waitSettled(cluster, table, outcomes);
  return { writes: outcomes.length, acknowledged: acknowledgedCount(outcomes) };
}

/** Writes from a client inside the region's namespace: the side of a partition this process cannot reach. */
async function writeFromInside(cluster: NetnsCluster, region: NetnsRegion, plan: WritePlan): Promise<WriteOutcome[]> {
  const input: WriterInput = { endpoint: `http://127.0.0.1:${region.port}`, plan };
  const output = await cluster.network.execIn(region.namespace, process.execPath, ['--no-warnings', '--import', 'tsx', join(REPOSITORY_ROOT, 'scripts/netns/writer.ts')], JSON.stringify(input), { cwd: REPOSITORY_ROOT, timeoutMs: 60_000 });
  return JSON.parse(output) as WriteOutcome[];
}

async function reachable(region: NetnsRegion): Promise<boolean> {
  try {
    await fetch(`${region.endpoint}/`, { signal: AbortSignal.timeout(500) });
    return true;
  } catch {
    return false;
  }
}

export interface PartitionResult {
  writes: number;
  acknowledged: number;
  /** Keys both sides wrote while apart: the last write of one side of each was lost to last-writer-wins. */
  sharedKeys: number;
  /** Conflicts logged for this table, summed over the regions. */
  conflicts: number;
  /** Shared keys each side's last write won. */
  wonBy: Record<string, number>;
}

/**
 * A partition of one region (its bridge port drops everything) while both sides write the same keys
 * and keys of their own, then healed: every acknowledged write survives except those lost to
 * last-writer-wins on the shared keys, each of which is logged as a conflict; digests converge.
 */
export async function checkPartition(cluster: NetnsCluster, table: string, options: { region: string; otherSide: string; sharedKeys: number; ownKeys: number; rounds: number }): Promise<PartitionResult> {
  const isolated = cluster.byName(options.region);
  const other = cluster.byName(options.otherSide);
  const shared = Array.from({ length: options.sharedKeys }, (_, i) => `apart-shared-${i}`);
  const own = (region: string): string[] => Array.from({ length: options.ownKeys }, (_, i) => `apart-${region}-${i}`);
  const plan = (region: string): WritePlan => ({ region, table, label: 'apart', rounds: options.rounds, concurrency: 6, keys: [...shared, ...own(region)] });
  cluster.faults.partition(isolated.name);
  let outcomes: WriteOutcome[];
  try {
    await eventually(async () => !(await reachable(isolated)), 10_000, `${isolated.name} unreachable from here`);
    outcomes = (await Promise.all([writeKeys(other.doc, plan(other.name)), writeFromInside(cluster, isolated, plan(isolated.name))])).flat();
  } finally {
    cluster.faults.heal(isolated.name);
  }
  await waitSettled(cluster, table, outcomes);
  const conflicted = new Set<string>();
  let conflicts = 0;
  for (const region of cluster.regions) {
    const log = await region.admin<{ conflicts: { keys: { pk?: { S?: string } } }[] }>(`/admin/conflicts?table=${encodeURIComponent(table)}`);
    conflicts += log.conflicts.length;
    for (const entry of log.conflicts) if (entry.keys.pk?.S) conflicted.add(entry.keys.pk.S);
  }
  const bothAcknowledged = shared.filter((pk) => [isolated.name, other.name].every((r) => outcomes.some((o) => o.pk === pk && o.region === r && o.acknowledged)));
  const unlogged = bothAcknowledged.filter((pk) => !conflicted.has(pk));
  check(unlogged.length === 0, () => `keys written on both sides of the partition without a logged conflict: ${unlogged.join(', ')}`);
  const finals = await tagsByKey(other.doc, table);
  const wonBy: Record<string, number> = { [isolated.name]: 0, [other.name]: 0 };
  for (const pk of shared) {
    const winner = outcomes.find((o) => o.tag === finals.get(pk))?.region;
    if (winner) wonBy[winner] += 1;
  }
  return { writes: outcomes.length, acknowledged: acknowledgedCount(outcomes), sharedKeys: shared.length, conflicts, wonBy };
}
