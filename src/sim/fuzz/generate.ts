/**
 * Draws a random history: writes (put, update with SET/ADD/REMOVE, delete, some conditional, some
 * setting an expiry time a few seconds either side of now) in random running regions that hold the
 * replica, over a small key space; virtual sleeps; and faults (drawFaults.ts). Each concern draws
 * from its own split of the seed, so changing how faults are drawn leaves the writes' values alone.
 */
import { SIM_EPOCH_MS } from '../cluster.js';
import { SimRandom } from '../random.js';
import { FaultDrawer } from './drawFaults.js';
import { FUZZ_TABLE, KEY_ATTRIBUTE, REGION_NAMES, TTL_ATTRIBUTE, type ClockModeChoice, type GranularityChoice, type History, type StepData } from './history.js';
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

const MEAN_SLEEP_MS = 300;
const MAX_SLEEP_MS = 3_000;
/**
 * Expiry times drawn around the history's time so far (seconds either way). That time counts only
 * the sleeps, and playing takes longer, so an item expires no later than the model thinks: some
 * are written already expired, others expire amid the later steps or the finale.
 */
export const EXPIRY_BEHIND_S = 5;
export const EXPIRY_AHEAD_S = 5;

class HistoryGenerator {
  private readonly shape: SimRandom;
  private readonly writes: SimRandom;
  private readonly faults: FaultDrawer;
  private readonly sleeps: SimRandom;
  private readonly expiry: SimRandom;
  private readonly model: ClusterModel;
  private readonly keys: string[];
  /** Makes every written value unique, so a final value names the write it came from. */
  private valueCounter = 0;

  constructor(random: SimRandom, regionNames: string[], ops: number) {
    this.shape = random.split('shape');
    this.writes = random.split('writes');
    this.sleeps = random.split('sleeps');
    this.expiry = random.split('expiry');
    this.model = new ClusterModel(regionNames);
    this.faults = new FaultDrawer(random.split('faults'), regionNames, this.model);
    // A small key space, so writes meet on the same items and conflict.
    this.keys = Array.from({ length: Math.max(3, Math.ceil(ops / 12)) }, (_, i) => `k${i}`);
  }

  step(): StepData {
    const roll = this.shape.next();
    const step = roll < 0.55 ? this.write() : roll < 0.7 ? this.sleep() : this.faults.draw() ?? this.write();
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
    const base = { region: r.pick(this.model.writableRegions()), table: FUZZ_TABLE };
    const key = { [KEY_ATTRIBUTE]: r.pick(this.keys) };
    const condition = { ...this.condition(), ...this.forcedTimestamp() };
    const roll = r.next();
    if (roll < 0.35) {
      const item: Record<string, unknown> = { ...key };
      for (const attribute of VALUE_ATTRIBUTES) if (r.chance(0.6)) item[attribute] = this.value(attribute);
      if (Object.keys(item).length === 1) item.a = this.value('a');
      if (this.expiry.chance(0.5)) item[TTL_ATTRIBUTE] = this.expiresAt();
      return { put: { ...base, item, ...condition } };
    }
    if (roll < 0.8) return { update: { ...base, key, ...this.updateClauses(), ...condition } };
    return { delete: { ...base, key, ...condition } };
  }

  private updateClauses(): Record<string, unknown> {
    const r = this.writes;
    const set: Record<string, unknown> = {};
    const remove: string[] = [];
    for (const attribute of VALUE_ATTRIBUTES) {
      const roll = r.next();
      if (roll < 0.45) set[attribute] = this.value(attribute);
      else if (roll < 0.6) remove.push(attribute);
    }
    const roll = this.expiry.next();
    if (roll < 0.4) set[TTL_ATTRIBUTE] = this.expiresAt();
    else if (roll < 0.45) remove.push(TTL_ATTRIBUTE);
    const add = r.chance(0.4) || (!Object.keys(set).length && !remove.length) ? { [COUNTER_ATTRIBUTE]: 1 + r.int(5) } : undefined;
    return { ...(Object.keys(set).length ? { set } : {}), ...(remove.length ? { remove } : {}), ...(add ? { add } : {}) };
  }

  /** Epoch seconds a little before or after the history's time so far. */
  private expiresAt(): number {
    const nowS = Math.floor((SIM_EPOCH_MS + this.model.elapsedMs()) / 1000);
    return nowS - EXPIRY_BEHIND_S + this.expiry.int(EXPIRY_BEHIND_S + EXPIRY_AHEAD_S + 1);
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
