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
import { drain, REGIONS, replicationPairs, startGlobalTable, TABLE } from './simGlobalTable.js';

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
  const { digest, mixedItems } = await checkFinalState(model, cluster.regions);
  let conflicts = 0;
  let resyncs = 0;
  for (const region of cluster.regions) {
    conflicts += (await region.admin<{ total: number }>(`/admin/conflicts?table=${TABLE}`)).total;
    for (const pair of await replicationPairs(region)) resyncs += pair.resyncs;
  }
  let lost = 0;
  let duplicated = 0;
  for (const from of REGIONS) {
    for (const to of REGIONS) {
      if (from === to) continue;
      const counts = cluster.net.link(from, to).counts();
      lost += counts.lost;
      duplicated += counts.duplicated;
    }
  }
  return {
    traceHash: cluster.traceHash(), digest, conflicts, lost, duplicated, resyncs,
    crashes: model.crashes, busKills: model.busKills, lostAtOnce: model.lostAtOnce, overtaken: model.overtaken, uncertainWrites: model.uncertainWrites.length,
    mixedItems,
  };
}
