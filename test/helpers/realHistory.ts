/**
 * One history of the real cluster's model-based test: a fresh global table on the shared cluster,
 * the commands, then heal everything, drain (each region's own changes published and applied by
 * every peer, read from /admin/metrics) and check convergence and the last-writer-wins oracle that
 * the simulated suite uses. Returns the counters the coverage check sums up.
 */
import fc, { type AsyncCommand } from 'fast-check';
import { expect } from 'vitest';
import type { Granularity } from '../../src/core/lww.js';
import { createGlobalTable } from './cluster.js';
import { checkFinalState } from './modelOracle.js';
import type { FaultTally, RealSystem } from './realFaultCommands.js';
import type { RealModelCluster } from './realModelCluster.js';
import { emptyModel, type ModelState } from './simModel.js';

/** How long a healed cluster may take to apply a history's few dozen changes: seconds at most, unless replication is broken. */
export const DRAIN_LIMIT_MS = 20_000;

export interface RealOutcome extends FaultTally {
  writes: number;
  conflicts: number;
  conditionFailed: number;
  lostAtOnce: number;
  overtaken: number;
  uncertainWrites: number;
  mixedItems: number;
}

let histories = 0;

export async function runRealHistory(cluster: RealModelCluster, commands: Iterable<AsyncCommand<ModelState, RealSystem>>, granularity: Granularity): Promise<RealOutcome> {
  // A history that failed may have left a link stalled or a clock skewed.
  await cluster.reset();
  histories += 1;
  const table = `model-${granularity}-${process.pid}-${histories}`;
  await createGlobalTable(cluster.cluster, table);
  const model = emptyModel(granularity, table);
  const system: RealSystem = { cluster, tally: { partitions: 0, heldAtHeal: 0, catchUps: 0 } };
  await fc.asyncModelRun(() => ({ model, real: system }), commands);
  system.tally.heldAtHeal += await cluster.reset();
  model.faultyLinks.clear();
  const behind = await cluster.drain(DRAIN_LIMIT_MS);
  // Invariant 1: healed and drained within the bound; checkFinalState then compares the regions.
  expect(behind, `converged: replication drained within ${DRAIN_LIMIT_MS} ms after healing`).toEqual([]);
  const { mixedItems } = await checkFinalState(model, cluster.regions);
  let conflicts = 0;
  for (const region of cluster.regions) conflicts += (await region.admin<{ total: number; conflicts: unknown[] }>(`/admin/conflicts?table=${table}`)).conflicts.length;
  return {
    ...system.tally, writes: model.writes.length, conflicts, conditionFailed: model.conditionFailed, lostAtOnce: model.lostAtOnce,
    overtaken: model.overtaken, uncertainWrites: model.uncertainWrites.length, mixedItems,
  };
}
