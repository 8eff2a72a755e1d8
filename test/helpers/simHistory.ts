/**
 * One history of the model-based test: a fresh simulated cluster at item or attribute
 * granularity, the commands, then heal everything, drain, and check convergence and the
 * last-writer-wins oracle of that granularity. Returns what the coverage counters and the replay
 * check need.
 */
import fc, { type AsyncCommand } from 'fast-check';
import { expect } from 'vitest';
import type { Granularity } from '../../src/core/lww.js';
import type { SimulatedCluster } from '../../src/sim/cluster.js';
import { checkFinalState } from './modelOracle.js';
import { emptyModel, type ModelState, type RealCluster } from './simModel.js';
import { drain, REGIONS, replicationPairs, settledDigests, sleep, startGlobalTable, TABLE, TOMBSTONE_RETENTION_MS, tombstoneCountsOf } from './simGlobalTable.js';

/** How long a healed cluster may take to apply everything (virtual time): generous, far below a day's retention. */
export const DRAIN_LIMIT_MS = 5 * 60_000;

export interface HistoryOutcome {
  traceHash: string;
  digest: string;
  conflicts: number;
  lost: number;
  duplicated: number;
  crashes: number;
  busKills: number;
  resyncs: number;
  lostAtOnce: number;
  overtaken: number;
  uncertainWrites: number;
  /** Final items that mix the attributes of several acknowledged writes (attribute granularity only). */
  mixedItems: number;
  /** Tombstones purged in all regions (each region counts its own). */
  purges: number;
  /** Conflicts decided by the region tie-break: two writes with the same timestamp. */
  ties: number;
  /** Messages a link delivered ahead of one sent before them. */
  reordered: number;
  /** Region crashes that cut a commit group short (writes asked for, not committed). */
  crashesMidBatch: number;
  /** Item granularity: acknowledged writes overwritten by a write that had seen them, and losers of a logged conflict. */
  superseded: number;
  lostInConflicts: number;
}

export async function runHistory(clusterSeed: number, commands: Iterable<AsyncCommand<ModelState, RealCluster>>, granularity: Granularity = 'item'): Promise<HistoryOutcome> {
  const cluster = await startGlobalTable(clusterSeed, granularity);
  try {
    const model = emptyModel(granularity, TABLE);
    await fc.asyncModelRun(() => ({ model, real: { cluster } }), commands);
    return await cluster.run(settleAndCheck(cluster, model));
  } finally {
    cluster.stop();
  }
}

/** Everything back to healthy: links healed, buses and regions started. */
async function healEverything(cluster: SimulatedCluster, model: ModelState): Promise<void> {
  for (const from of REGIONS) for (const to of REGIONS) if (from !== to) cluster.net.link(from, to).heal();
  for (const region of REGIONS) await cluster.busOf(region).start();
  for (const region of model.down) await cluster.region(region).start();
  model.down.clear();
  model.busDown.clear();
  model.faultyLinks.clear();
}

async function settleAndCheck(cluster: SimulatedCluster, model: ModelState): Promise<HistoryOutcome> {
  await healEverything(cluster, model);
  const behind = await drain(cluster, DRAIN_LIMIT_MS);
  // Invariant 1: healed and drained within the bound, every region holds the same data.
  expect(behind, `converged: replication drained within ${DRAIN_LIMIT_MS} ms of virtual time after healing`).toEqual([]);
  // Drained replicas may differ a while longer: each purges a tombstone every replica holds at its own moment.
  await settledDigests(cluster, TOMBSTONE_RETENTION_MS * 4);
  const { digest, mixedItems, accounting } = await checkFinalState(model, cluster.regions);
  // Past the retention, every replica holding every delete, the tombstones go, and nothing else may
  // change: the same checks again find no delete undone (no resurrection) and no version gone back.
  await sleep(cluster, TOMBSTONE_RETENTION_MS * 3);
  await settledDigests(cluster, TOMBSTONE_RETENTION_MS * 4);
  for (const region of cluster.regions) {
    const held = (await region.admin<{ tables: Record<string, { tombstones: number }> }>(`/admin/digest?table=${TABLE}`)).tables[TABLE].tombstones;
    expect(held, `every tombstone purged once every replica holds it and the retention passed: ${region.name} holds ${held}`).toBe(0);
  }
  await checkFinalState(model, cluster.regions);
  let conflicts = 0;
  let resyncs = 0;
  let purges = 0;
  let ties = 0;
  for (const region of cluster.regions) {
    const logged = await region.admin<{ total: number; conflicts: { reason: string }[] }>(`/admin/conflicts?table=${TABLE}&limit=1000`);
    conflicts += logged.total;
    ties += logged.conflicts.filter((c) => c.reason === 'tie-break-region').length;
    for (const pair of await replicationPairs(region)) resyncs += pair.resyncs;
    // No resurrection is the oracle's to judge (above, before and after the purge): the regions' own
    // count is an upper bound that a wall clock running behind by more than the retention inflates.
    purges += (await tombstoneCountsOf(region)).purged;
  }
  let lost = 0;
  let duplicated = 0;
  let reordered = 0;
  for (const from of REGIONS) {
    for (const to of REGIONS) {
      if (from === to) continue;
      const counts = cluster.net.link(from, to).counts();
      lost += counts.lost;
      duplicated += counts.duplicated;
      reordered += counts.reordered;
    }
  }
  return {
    traceHash: cluster.traceHash(), digest, conflicts, lost, duplicated, resyncs,
    crashes: model.crashes, busKills: model.busKills, lostAtOnce: model.lostAtOnce, overtaken: model.overtaken, uncertainWrites: model.uncertainWrites.length,
    mixedItems, purges, ties, reordered, superseded: accounting?.superseded ?? 0, lostInConflicts: accounting?.lostInConflicts ?? 0,
    crashesMidBatch: cluster.regions.reduce((n, r) => n + r.crashesMidCommit, 0),
  };
}
