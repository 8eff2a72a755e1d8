/**
 * One history of the model-based test: a fresh simulated cluster at item or attribute
 * granularity, the commands, then heal everything, drain, and check convergence and the
 * last-writer-wins oracle of that granularity. Returns what the coverage counters and the replay
 * check need.
 */
import fc, { type AsyncCommand } from 'fast-check';
import { expect } from 'vitest';
import type { Granularity } from '../../src/core/lww.js';
import type { Item } from '../../src/core/types.js';
import type { SimulatedCluster } from '../../src/sim/cluster.js';
import { checkAttributeOracle, checkAttributesWritten } from './simAttributeOracle.js';
import { canonicalItem, emptyModel, KEYS, lastWriterOf, type ModelState, stringOf, type RealCluster, versionText } from './simModel.js';
import { drain, keyOf, REGIONS, replicationPairs, settledDigests, sleep, startGlobalTable, TABLE, TOMBSTONE_RETENTION_MS, tombstoneCountsOf } from './simGlobalTable.js';

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
}

export async function runHistory(clusterSeed: number, commands: Iterable<AsyncCommand<ModelState, RealCluster>>, granularity: Granularity = 'item'): Promise<HistoryOutcome> {
  const cluster = await startGlobalTable(clusterSeed, granularity);
  try {
    const model = emptyModel(granularity);
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

async function finalItems(cluster: SimulatedCluster): Promise<Map<string, Item | null>> {
  const items = new Map<string, Item | null>();
  for (const region of cluster.regions) {
    for (const pk of KEYS) {
      const read = await region.call<{ Item?: Item }>('GetItem', { TableName: TABLE, Key: keyOf(pk), ConsistentRead: true });
      items.set(`${region.name}|${pk}`, read.Item ?? null);
    }
  }
  return items;
}

/** Whether the item can be what a write of unknown outcome to pk left. */
function uncertainOutcome(model: ModelState, pk: string, item: Item | null): boolean {
  const tag = item === null ? undefined : stringOf(item.tag);
  return model.uncertainWrites.some((w) => w.pk === pk && (item === null ? w.spec.kind === 'delete' : w.spec.kind !== 'delete' && w.tag === tag));
}

function checkOracle(model: ModelState, items: Map<string, Item | null>): void {
  const written = new Map(model.writes.map((w) => [w.tag, w.item]));
  for (const [slot, item] of items) {
    const [region, pk] = slot.split('|');
    // Invariant 3: every item is one a write left (its tag names the write); at attribute
    // granularity each attribute is one a write set (the item mixes writes).
    if (item !== null) {
      const tag = stringOf(item.tag) ?? '(no tag)';
      expect(model.issuedTags.has(tag), `no value nobody wrote: ${region} holds ${pk} = ${canonicalItem(item)}, tag ${tag} was never written`).toBe(true);
      if (model.granularity === 'attribute') checkAttributesWritten(model, region, pk, item);
      else if (written.has(tag)) expect(canonicalItem(item), `no value nobody wrote: ${region} holds ${pk} as write ${tag} never left it`).toBe(canonicalItem(written.get(tag)));
    }
    if (model.granularity === 'attribute') {
      checkAttributeOracle(model, region, pk, item);
      continue;
    }
    // Invariant 2: the acknowledged write with the largest stored version wins, at item granularity
    // (or, newer still, a write whose outcome is unknown: then the item is what that write left).
    const winner = lastWriterOf(model, pk);
    if (canonicalItem(item) !== canonicalItem(winner?.item ?? null) && uncertainOutcome(model, pk, item)) continue;
    expect(canonicalItem(item), `last writer wins: ${region} ${pk} should be write ${winner?.tag ?? 'none'} from ${winner?.region ?? '-'} at ${versionText(winner?.version)}`)
      .toBe(canonicalItem(winner?.item ?? null));
  }
}

/**
 * How many keys end otherwise than item granularity would leave them (the whole item of the
 * acknowledged write with the largest version), with no write of unknown outcome to explain it:
 * attributes of concurrent writes that both survived, what only attribute granularity does.
 */
function mixedItems(model: ModelState, items: Map<string, Item | null>): number {
  if (model.granularity !== 'attribute') return 0;
  return KEYS.filter((pk) => !model.uncertainWrites.some((w) => w.pk === pk)
    && canonicalItem(items.get(`${REGIONS[0]}|${pk}`)) !== canonicalItem(lastWriterOf(model, pk)?.item ?? null)).length;
}

async function settleAndCheck(cluster: SimulatedCluster, model: ModelState): Promise<HistoryOutcome> {
  await healEverything(cluster, model);
  const behind = await drain(cluster, DRAIN_LIMIT_MS);
  // Invariant 1: healed and drained within the bound, every region holds the same data.
  expect(behind, `converged: replication drained within ${DRAIN_LIMIT_MS} ms of virtual time after healing`).toEqual([]);
  const digests = await settledDigests(cluster, TOMBSTONE_RETENTION_MS * 4);
  expect(new Set(digests).size, `converged: digests equal in all regions after draining (${digests.join(', ')})`).toBe(1);
  const items = await finalItems(cluster);
  checkOracle(model, items);
  // Past the retention, every replica holding every delete, the tombstones go: nothing may change.
  await sleep(cluster, TOMBSTONE_RETENTION_MS * 3);
  const purgedDigests = await settledDigests(cluster, TOMBSTONE_RETENTION_MS * 4);
  expect(new Set(purgedDigests).size, `converged after the tombstones' retention (${purgedDigests.join(', ')})`).toBe(1);
  for (const region of cluster.regions) {
    const held = (await region.admin<{ tables: Record<string, { tombstones: number }> }>(`/admin/digest?table=${TABLE}`)).tables[TABLE].tombstones;
    expect(held, `every tombstone purged once every replica holds it and the retention passed: ${region.name} holds ${held}`).toBe(0);
  }
  const afterPurge = await finalItems(cluster);
  for (const [slot, item] of afterPurge) {
    expect(canonicalItem(item), `no resurrection: ${slot} after tombstone retention`).toBe(canonicalItem(items.get(slot) ?? null));
  }
  let conflicts = 0;
  let resyncs = 0;
  let purges = 0;
  let ties = 0;
  for (const region of cluster.regions) {
    const logged = await region.admin<{ total: number; conflicts: { reason: string }[] }>(`/admin/conflicts?table=${TABLE}&limit=1000`);
    conflicts += logged.total;
    ties += logged.conflicts.filter((c) => c.reason === 'tie-break-region').length;
    for (const pair of await replicationPairs(region)) resyncs += pair.resyncs;
    // No resurrection is the oracle's to judge (above, and after the purge below): the regions' own
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
    traceHash: cluster.traceHash(), digest: digests[0], conflicts, lost, duplicated, resyncs,
    crashes: model.crashes, busKills: model.busKills, lostAtOnce: model.lostAtOnce, overtaken: model.overtaken, uncertainWrites: model.uncertainWrites.length,
    mixedItems: mixedItems(model, items), purges, ties, reordered,
    crashesMidBatch: cluster.regions.reduce((n, r) => n + r.crashesMidCommit, 0),
  };
}
