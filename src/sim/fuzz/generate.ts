/**
 * Draws a random history: writes (put, update with SET/ADD/REMOVE, delete, some conditional) in
 * random running regions over a small key space, virtual sleeps, and faults (partitions, heals,
 * latency, region and bus crashes and restarts, clock skew and jumps). Each concern draws from its
 * own split of the seed, so changing how faults are drawn leaves the writes' values alone.
 */
import { SIM_EPOCH_MS } from '../cluster.js';
import { SimRandom } from '../random.js';
import { FUZZ_TABLE, KEY_ATTRIBUTE, REGION_NAMES, type ClockModeChoice, type GranularityChoice, type History, type StepData } from './history.js';
import { ClusterModel } from './model.js';

export interface GenerateOptions {
  regions: number;
  /** Steps in the body (writes, sleeps and faults together). */
  ops: number;
  granularity: GranularityChoice;
  clockMode: ClockModeChoice;
}

/** Attributes writes SET, put and REMOVE; `n` is only ever ADDed to, so its value is a sum of deltas. */
export const VALUE_ATTRIBUTES = ['a', 'b', 'c'] as const;
export const COUNTER_ATTRIBUTE = 'n';

/** Conditions whose outcome does not depend on replication timing, so a history plays the same as a scenario file. */
const ALWAYS_TRUE = `attribute_exists(${KEY_ATTRIBUTE}) OR attribute_not_exists(${KEY_ATTRIBUTE})`;
const ALWAYS_FALSE = `attribute_exists(${KEY_ATTRIBUTE}) AND attribute_not_exists(${KEY_ATTRIBUTE})`;

const MAX_SKEW_MS = 3_000;
const MAX_JUMP_MS = 2_000;
const MAX_LATENCY_MS = 400;
const MAX_JITTER_MS = 100;
/** Per-message probability of each message fault: high enough to hit, low enough that a burst gets through. */
const MAX_MESSAGE_FAULT_RATE = 0.3;
const MEAN_SLEEP_MS = 300;
const MAX_SLEEP_MS = 3_000;

class HistoryGenerator {
  private readonly shape: SimRandom;
  private readonly writes: SimRandom;
  private readonly faults: SimRandom;
  private readonly sleeps: SimRandom;
  private readonly model: ClusterModel;
  private readonly keys: string[];
  /** Makes every written value unique, so a final value names the write it came from. */
  private valueCounter = 0;

  constructor(random: SimRandom, private readonly regionNames: string[], ops: number) {
    this.shape = random.split('shape');
    this.writes = random.split('writes');
    this.faults = random.split('faults');
    this.sleeps = random.split('sleeps');
    this.model = new ClusterModel(regionNames);
    // A small key space, so writes meet on the same items and conflict.
    this.keys = Array.from({ length: Math.max(3, Math.ceil(ops / 12)) }, (_, i) => `k${i}`);
  }

  step(): StepData {
    const roll = this.shape.next();
    const step = roll < 0.55 ? this.write() : roll < 0.7 ? this.sleep() : this.fault() ?? this.write();
    this.model.apply(step);
    return step;
  }

  private sleep(): StepData {
    return { sleep: { ms: Math.min(MAX_SLEEP_MS, Math.round(this.sleeps.exponential(MEAN_SLEEP_MS))) } };
  }

  private value(attribute: string): string {
    this.valueCounter += 1;
    return `${attribute}-${this.valueCounter}`;
  }

  private write(): StepData {
    const r = this.writes;
    const base = { region: r.pick(this.model.upRegions()), table: FUZZ_TABLE };
    const key = { [KEY_ATTRIBUTE]: r.pick(this.keys) };
    const condition = { ...this.condition(), ...this.forcedTimestamp() };
    const roll = r.next();
    if (roll < 0.35) {
      const item: Record<string, unknown> = { ...key };
      for (const attribute of VALUE_ATTRIBUTES) if (r.chance(0.6)) item[attribute] = this.value(attribute);
      if (Object.keys(item).length === 1) item.a = this.value('a');
      return { put: { ...base, item, ...condition } };
    }
    if (roll < 0.8) return { update: { ...base, key, ...this.updateClauses(), ...condition } };
    return { delete: { ...base, key, ...condition } };
  }

  private updateClauses(): Record<string, unknown> {
    const r = this.writes;
    const set: Record<string, string> = {};
    const remove: string[] = [];
    for (const attribute of VALUE_ATTRIBUTES) {
      const roll = r.next();
      if (roll < 0.45) set[attribute] = this.value(attribute);
      else if (roll < 0.6) remove.push(attribute);
    }
    const add = r.chance(0.4) || (!Object.keys(set).length && !remove.length) ? { [COUNTER_ATTRIBUTE]: 1 + r.int(5) } : undefined;
    return { ...(Object.keys(set).length ? { set } : {}), ...(remove.length ? { remove } : {}), ...(add ? { add } : {}) };
  }

  private condition(): Record<string, unknown> {
    const r = this.writes;
    if (!r.chance(0.15)) return {};
    return r.chance(0.7) ? { condition: ALWAYS_TRUE } : { condition: ALWAYS_FALSE, expectError: 'ConditionalCheckFailedException' };
  }

  /**
   * Now and then a write stamped with one of a few fixed times near the start of virtual time:
   * equal stamps from two regions are ties for the region tie-break, older ones arrive stale.
   */
  private forcedTimestamp(): Record<string, unknown> {
    const r = this.writes;
    return r.chance(0.1) ? { timestampMs: SIM_EPOCH_MS + 1_000 * r.int(4) } : {};
  }

  /** A fault that can be played now, or undefined when none can (one region, all others down). */
  private fault(): StepData | undefined {
    const f = this.faults;
    const up = this.model.upRegions();
    const options: (() => StepData | undefined)[] = [
      () => (this.regionNames.length > 1 ? this.partition() : undefined),
      () => this.heal(),
      () => (this.regionNames.length > 1 ? this.latency() : undefined),
      () => (this.regionNames.length > 1 ? this.networkFaults() : undefined),
      // Keep one region up: writes need somewhere to go.
      () => (up.length > 1 ? { crashRegion: { region: f.pick(up) } } : undefined),
      () => (this.model.downRegions().length ? { restartRegion: { region: f.pick(this.model.downRegions()) } } : undefined),
      () => { const candidates = up.filter((x) => this.model.isBusUp(x)); return candidates.length ? { crashNats: { region: f.pick(candidates) } } : undefined; },
      () => { const candidates = up.filter((x) => !this.model.isBusUp(x)); return candidates.length ? { restartNats: { region: f.pick(candidates) } } : undefined; },
      () => ({ clockSkew: { region: f.pick(up), skewMs: f.int(2 * MAX_SKEW_MS + 1) - MAX_SKEW_MS } }),
      () => ({ clockJump: { region: f.pick(up), deltaMs: f.int(2 * MAX_JUMP_MS + 1) - MAX_JUMP_MS } }),
    ];
    return f.pick(options)();
  }

  private pair(toCandidates: string[] = this.regionNames): [string, string] | undefined {
    const to = this.faults.pick(toCandidates);
    const others = this.regionNames.filter((r) => r !== to);
    return others.length ? [this.faults.pick(others), to] : undefined;
  }

  private partition(): StepData {
    const f = this.faults;
    if (f.chance(0.5)) {
      const [from, to] = this.pair()!;
      return { partition: { from, to } };
    }
    // Two non-empty groups: a random cut of a shuffled order.
    const order = this.regionNames.map((r) => ({ r, k: f.next() })).sort((x, y) => x.k - y.k).map((x) => x.r);
    const cut = 1 + f.int(order.length - 1);
    return { partition: { groups: [order.slice(0, cut), order.slice(cut)] } };
  }

  private heal(): StepData {
    const up = this.model.upRegions();
    if (this.regionNames.length > 1 && this.faults.chance(0.4)) {
      const pair = this.pair(up);
      if (pair) return { heal: { from: pair[0], to: pair[1] } };
    }
    return { heal: {} };
  }

  /** Loss, duplication and reordering: what only the simulated network can do, and what an ordered consumer must survive. */
  private networkFaults(): StepData {
    const f = this.faults;
    const [from, to] = this.pair()!;
    const rate = (): number => (f.chance(0.5) ? Math.round(f.uniform(0, MAX_MESSAGE_FAULT_RATE) * 100) / 100 : 0);
    return { networkFaults: { from, to, lossRate: rate(), duplicateRate: rate(), reorderRate: rate(), bothWays: f.chance(0.5) } };
  }

  private latency(): StepData {
    const f = this.faults;
    const [from, to] = this.pair()!;
    return { latency: { from, to, ms: f.int(MAX_LATENCY_MS + 1), jitterMs: f.int(MAX_JITTER_MS + 1), bothWays: f.chance(0.5) } };
  }
}

export function generateHistory(seed: number, options: GenerateOptions): History {
  const random = new SimRandom(seed).split('history');
  const regionCount = Math.min(Math.max(options.regions, 1), REGION_NAMES.length);
  const names = REGION_NAMES.slice(0, regionCount);
  const clocks = random.split('clocks');
  const regions = names.map((name) => ({ name, clock: { mode: options.clockMode, skewMs: clocks.int(1001) - 500 } }));
  const generator = new HistoryGenerator(random, names, options.ops);
  const steps = Array.from({ length: options.ops }, () => generator.step());
  return { seed, granularity: options.granularity, regions, steps };
}

/** The seed of run `index` of a fuzz session with `seed`: its own stream, whatever the other runs drew. */
export function runSeed(seed: number, index: number): number {
  return new SimRandom(seed).split(`run:${index}`).nextUint32();
}
