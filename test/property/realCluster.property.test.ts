/**
 * Model-based test of a real 3-region cluster (each region with its own LMDB, nats-server and
 * HTTP port, in this process), at item and at attribute granularity: random histories of writes through the AWS SDK, conditional ones
 * included, with one-way partitions, latency, clock skew and catch-ups between them, then heal,
 * drain and check against the same oracle as the simulated suite: convergence, last writer wins
 * over every acknowledged write (per item, or per attribute), no value nobody wrote, read-your-writes, versions that never go
 * back. One cluster serves every history, each on a global table of its own. REAL_MODEL_RUNS sets
 * the number of histories (`npm run test:fuzz` runs more).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Granularity } from '../../src/core/lww.js';
import { REGIONS, type RegionName } from '../helpers/modelRegion.js';
import { ConcurrentWritesCommand, WriteCommand } from '../helpers/modelWriteCommands.js';
import { CatchUpCommand, HealLinkCommand, LatencyCommand, PartitionCommand, SkewCommand, SplitWritesCommand } from '../helpers/realFaultCommands.js';
import { runRealHistory, type RealOutcome } from '../helpers/realHistory.js';
import { RealModelCluster, WALL_CLOCK_REGION } from '../helpers/realModelCluster.js';
import { propertySeed } from '../helpers/seed.js';
import { KEYS, type WriteSpec } from '../helpers/simModel.js';

const RUNS = Number(process.env.REAL_MODEL_RUNS ?? 30);
const MAX_COMMANDS = 30;
/** A history takes under half a second; a failure's shrinking stops after this and reports the smallest history found so far. */
const SHRINK_BUDGET_MS = Math.max(120_000, RUNS * 3_000);
const TEST_TIMEOUT_MS = SHRINK_BUDGET_MS + 60_000;

const region = fc.constantFrom<RegionName>(...REGIONS);
const directedLink = fc.tuple(region, region).filter(([from, to]) => from !== to);
const pk = fc.constantFrom(...KEYS);
const valueA = fc.constantFrom('x', 'y', 'z');
const condition = fc.option(fc.constantFrom('exists' as const, 'absent' as const), { nil: undefined, freq: 2 });
const writeSpec: fc.Arbitrary<WriteSpec> = fc.tuple(fc.oneof(
  valueA.map((a) => ({ kind: 'put' as const, a })),
  fc.record({ kind: fc.constant('update' as const), variant: fc.constantFrom('set' as const, 'add' as const, 'remove' as const), a: valueA, addN: fc.integer({ min: 1, max: 5 }) }),
  fc.constant({ kind: 'delete' as const }),
), condition).map(([spec, when]) => (when === undefined ? spec : { ...spec, condition: when }));

const write = fc.tuple(region, pk, writeSpec).map(([r, key, spec]) => new WriteCommand(r, key, spec));
const commands = fc.commands([
  write, write, write,
  fc.tuple(directedLink, pk, writeSpec, writeSpec).map(([regions, key, first, second]) => new ConcurrentWritesCommand(regions, key, [first, second])),
  // Two regions cut off from each other updating different attributes of one item at once: what attribute granularity keeps both of.
  fc.tuple(directedLink, pk, valueA, fc.integer({ min: 1, max: 5 })).map(([regions, key, a, addN]) => new SplitWritesCommand(regions, key, [
    { kind: 'update', variant: 'set', a, addN }, { kind: 'update', variant: 'add', a, addN }])),
  directedLink.map(([from, to]) => new PartitionCommand(from, to)),
  directedLink.map(([from, to]) => new HealLinkCommand(from, to)),
  fc.tuple(directedLink, fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 100 })).map(([[from, to], latencyMs, jitterMs]) => new LatencyCommand(from, to, latencyMs, jitterMs)),
  directedLink.map(([from, to]) => new CatchUpCommand(from, to)),
  directedLink.map(([from, to]) => new CatchUpCommand(from, to)),
  fc.tuple(region, fc.integer({ min: -3000, max: 2000 })).map(([r, skewMs]) => new SkewCommand(r, skewMs)),
  // The wall-clock region running behind is what makes a write lose at once…
  fc.integer({ min: -3000, max: 0 }).map((skewMs) => new SkewCommand(WALL_CLOCK_REGION, skewMs)),
  // …to a key the others write too.
  fc.tuple(pk, writeSpec).map(([key, spec]) => new WriteCommand(WALL_CLOCK_REGION, key, spec)),
], { maxCommands: MAX_COMMANDS, size: 'max' });

type Counter = keyof RealOutcome;
/** Counters the commands must drive above zero over a run, or part of what the oracle checks went untested. */
const REQUIRED: Counter[] = ['conflicts', 'conditionFailed', 'lostAtOnce', 'partitions', 'heldAtHeal', 'catchUps'];
/** At attribute granularity some items must also end mixing concurrent writes, or the per-attribute rule went untested. */
const REQUIRED_BY_GRANULARITY: Record<Granularity, Counter[]> = { item: REQUIRED, attribute: [...REQUIRED, 'mixedItems'] };

const GRANULARITIES: Granularity[] = ['item', 'attribute'];

describe.each(GRANULARITIES)('a real 3-region global table under random writes and link faults, last writer wins per %s', (granularity) => {
  const seedName = granularity === 'item' ? 'realCluster' : `realCluster ${granularity}`;
  // One cluster per granularity (a region's granularity is fixed when it starts), stopped before the next starts.
  let cluster: RealModelCluster;
  beforeAll(async () => { cluster = await RealModelCluster.start(granularity); });
  afterAll(async () => { await cluster?.stop(); });

  it('converges to the last acknowledged writer of each key (or attribute), reading its own writes, with versions that never go back', async () => {
    const seed = propertySeed(seedName);
    const totals: Record<Counter, number> = {
      writes: 0, conflicts: 0, conditionFailed: 0, lostAtOnce: 0, overtaken: 0, uncertainWrites: 0, mixedItems: 0, partitions: 0, heldAtHeal: 0, catchUps: 0,
    };
    let histories = 0;
    let commandsRun = 0;
    const startedMs = Date.now();
    await fc.assert(fc.asyncProperty(commands, async (cmds) => {
      const outcome = await runRealHistory(cluster, cmds, granularity);
      histories += 1;
      commandsRun += [...cmds].length;
      for (const counter of Object.keys(totals) as Counter[]) totals[counter] += outcome[counter];
    }), { seed, numRuns: RUNS, plugins: [fc.interruptAfterTimeLimit(SHRINK_BUDGET_MS)] });
    console.log(`[${seedName}] ${histories} histories of ${(commandsRun / Math.max(histories, 1)).toFixed(1)} commands on average in ${Date.now() - startedMs} ms: ${Object.entries(totals).map(([name, n]) => `${name} ${n}`).join(', ')}`);
    expect(histories, `every history ran (seed ${seed})`).toBe(RUNS);
    for (const counter of REQUIRED_BY_GRANULARITY[granularity]) expect(totals[counter], `coverage: no history produced any ${counter} at ${granularity} granularity (seed ${seed})`).toBeGreaterThan(0);
  }, TEST_TIMEOUT_MS);
});
