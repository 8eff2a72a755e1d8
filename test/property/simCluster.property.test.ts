/**
 * Model-based test of a simulated 3-region cluster with one global table, at item and at
 * attribute granularity: random histories of writes, virtual sleeps and faults (partitions,
 * lossy/duplicating/reordering links, region and bus crashes, clock skew), then heal, drain and
 * check convergence and last-writer-wins (per item, or per attribute) against every acknowledged write. Coverage counters over the whole run make sure the faults really
 * happen. SIM_MODEL_RUNS sets the number of histories (`npm run test:fuzz` runs many).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Granularity } from '../../src/core/lww.js';
import { propertySeed } from '../helpers/seed.js';
import {
  CrashRegionCommand, HealLinkCommand, KillBusCommand, LinkFaultsCommand, PartitionCommand, RestartRegionCommand, SkewCommand, SleepCommand, StartBusCommand, TrimStreamCommand,
} from '../helpers/simFaultCommands.js';
import { REGIONS, TOMBSTONE_RETENTION_MS, type RegionName } from '../helpers/simGlobalTable.js';
import { runHistory, type HistoryOutcome } from '../helpers/simHistory.js';
import { KEYS } from '../helpers/simModel.js';
import { ConcurrentWritesCommand, CrashDuringWriteCommand, WriteCommand, type WriteSpec } from '../helpers/simWriteCommands.js';

const RUNS = Number(process.env.SIM_MODEL_RUNS ?? 150);
const MAX_COMMANDS = 36;
/** A history takes tens of milliseconds; the budget scales with the runs a fuzzing session asks for. */
const PROPERTY_TIMEOUT_MS = Math.max(30_000, RUNS * 250);

const region = fc.constantFrom<RegionName>(...REGIONS);
const directedLink = fc.tuple(region, region).filter(([from, to]) => from !== to);
const pk = fc.constantFrom(...KEYS);
const valueA = fc.constantFrom('x', 'y', 'z');
const writeSpec: fc.Arbitrary<WriteSpec> = fc.oneof(
  valueA.map((a) => ({ kind: 'put' as const, a })),
  fc.record({ kind: fc.constant('update' as const), variant: fc.constantFrom('set' as const, 'add' as const, 'remove' as const), a: valueA, addN: fc.integer({ min: 1, max: 5 }) }),
  fc.constant({ kind: 'delete' as const }),
);
const dataFaults = fc.record({
  lossRate: fc.constantFrom(0, 0.2, 0.5),
  duplicateRate: fc.constantFrom(0, 0.2, 0.5),
  reorderRate: fc.constantFrom(0, 0.3),
  latencyMs: fc.integer({ min: 0, max: 200 }),
  jitterMs: fc.integer({ min: 0, max: 100 }),
});

const commands = fc.commands([
  fc.tuple(region, pk, writeSpec).map(([r, key, spec]) => new WriteCommand(r, key, spec)),
  fc.tuple(region, pk, writeSpec).map(([r, key, spec]) => new WriteCommand(r, key, spec)),
  fc.tuple(region, pk, writeSpec).map(([r, key, spec]) => new WriteCommand(r, key, spec)),
  fc.tuple(directedLink, pk, writeSpec, writeSpec).map(([regions, key, first, second]) => new ConcurrentWritesCommand(regions, key, [first, second])),
  // Two regions updating different attributes of one item at once: what attribute granularity keeps both of.
  fc.tuple(directedLink, pk, valueA, fc.integer({ min: 1, max: 5 })).map(([regions, key, a, addN]) => new ConcurrentWritesCommand(regions, key, [
    { kind: 'update', variant: 'set', a, addN }, { kind: 'update', variant: 'add', a, addN }])),
  fc.integer({ min: 1, max: 3000 }).map((ms) => new SleepCommand(ms)),
  fc.integer({ min: 1, max: 3000 }).map((ms) => new SleepCommand(ms)),
  // Past the tombstone retention: a purge happens mid-history, among the faults.
  fc.integer({ min: TOMBSTONE_RETENTION_MS, max: 4 * TOMBSTONE_RETENTION_MS }).map((ms) => new SleepCommand(ms)),
  directedLink.map(([from, to]) => new PartitionCommand(from, to)),
  directedLink.map(([from, to]) => new HealLinkCommand(from, to)),
  fc.tuple(directedLink, dataFaults).map(([[from, to], faults]) => new LinkFaultsCommand(from, to, faults)),
  region.map((r) => new CrashRegionCommand(r)),
  fc.tuple(region, pk, writeSpec, fc.constantFrom(undefined, 0, 1, 2)).map(([r, key, spec, afterMs]) => new CrashDuringWriteCommand(r, key, spec, afterMs)),
  region.map((r) => new RestartRegionCommand(r)),
  region.map((r) => new TrimStreamCommand(r)),
  fc.tuple(region, fc.boolean()).map(([r, hold]) => new KillBusCommand(r, hold)),
  region.map((r) => new StartBusCommand(r)),
  fc.tuple(region, fc.integer({ min: -5000, max: 2000 })).map(([r, skewMs]) => new SkewCommand(r, skewMs)),
  // The wall-clock region running behind is what makes a write lose at once.
  fc.integer({ min: -5000, max: 0 }).map((skewMs) => new SkewCommand('eu-west-1', skewMs)),
  // …and a write there, to a key the others write too.
  fc.tuple(pk, writeSpec).map(([key, spec]) => new WriteCommand('eu-west-1', key, spec)),
], { maxCommands: MAX_COMMANDS, size: 'max' });

const history = fc.tuple(fc.integer({ min: 0, max: 2 ** 31 - 1 }), commands);

type Counter = Exclude<keyof HistoryOutcome, 'traceHash' | 'digest'>;
/** Counters the commands must drive above zero over a run of the suite. */
const REQUIRED: Counter[] = [
  'conflicts', 'ties', 'lost', 'duplicated', 'reordered', 'crashes', 'crashesMidBatch', 'busKills', 'resyncs', 'lostAtOnce', 'uncertainWrites', 'purges',
];
/** At attribute granularity some items must also end mixing concurrent writes, or the per-attribute rule went untested. */
const REQUIRED_BY_GRANULARITY: Record<Granularity, Counter[]> = { item: [...REQUIRED, 'superseded', 'lostInConflicts'], attribute: [...REQUIRED, 'mixedItems'] };

const GRANULARITIES: Granularity[] = ['item', 'attribute'];

describe.each(GRANULARITIES)('a simulated 3-region global table under random writes and faults, last writer wins per %s', (granularity) => {
  const seedName = granularity === 'item' ? 'simCluster' : `simCluster ${granularity}`;

  it('converges to the last acknowledged writer of each key (or attribute), reading its own writes, with versions that never go back', async () => {
    const seed = propertySeed(seedName);
    const totals: Record<Counter, number> = { conflicts: 0, lost: 0, duplicated: 0, crashes: 0, busKills: 0, resyncs: 0, lostAtOnce: 0, overtaken: 0, uncertainWrites: 0, mixedItems: 0, purges: 0, ties: 0, reordered: 0, crashesMidBatch: 0, superseded: 0, lostInConflicts: 0 };
    let histories = 0;
    let commandsRun = 0;
    await fc.assert(fc.asyncProperty(history, async ([clusterSeed, cmds]) => {
      const outcome = await runHistory(clusterSeed, cmds, granularity);
      histories += 1;
      commandsRun += [...cmds].length;
      for (const counter of Object.keys(totals) as Counter[]) totals[counter] += outcome[counter];
    }), { seed, numRuns: RUNS });
    console.log(`[${seedName}] ${histories} histories of ${(commandsRun / Math.max(histories, 1)).toFixed(1)} commands on average: ${Object.entries(totals).map(([name, n]) => `${name} ${n}`).join(', ')}`);
    for (const counter of REQUIRED_BY_GRANULARITY[granularity]) expect(totals[counter], `coverage: no history produced any ${counter} at ${granularity} granularity (seed ${seed})`).toBeGreaterThan(0);
  }, PROPERTY_TIMEOUT_MS);

  it('replays one generated history exactly: same seed, same trace hash and data', async () => {
    const seed = propertySeed(`${seedName} replay`);
    // The longest of a few samples, so the replay covers many commands.
    const [clusterSeed, cmds] = fc.sample(history, { seed, numRuns: 10 }).reduce((longest, next) => ([...next[1]].length > [...longest[1]].length ? next : longest));
    expect([...cmds].length, 'the replayed history has commands').toBeGreaterThan(5);
    const first = await runHistory(clusterSeed, cmds, granularity);
    const second = await runHistory(clusterSeed, cmds, granularity);
    expect(second.traceHash, `same seed, same trace hash (cluster seed ${clusterSeed}, ${String(cmds)})`).toBe(first.traceHash);
    expect(second.digest, 'same seed, same data').toBe(first.digest);
    const withoutCommands = await runHistory(clusterSeed, [], granularity);
    expect(withoutCommands.traceHash, 'the commands ran (their trace differs from an idle cluster\'s)').not.toBe(first.traceHash);
  });
});
