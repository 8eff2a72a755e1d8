/** What every step runs against: the scenario, its regions and time (the targets), the recorder, a seeded random source. */
import type { Recorder } from './recorder.js';
import type { Scenario } from './schema.js';
import type { ScenarioRegionHandle, ScenarioTargets } from './targets.js';

export interface RunContext {
  scenario: Scenario;
  /** The regions and the time they live in: the only way steps reach either. */
  targets: ScenarioTargets;
  recorder: Recorder;
  /** Seeded: the same seed plays the same workload. */
  random: () => number;
  /** Key attribute names of each table, partition key first. */
  keyNames: Map<string, string[]>;
  /** The regions holding each table. */
  replicas: Map<string, string[]>;
  log(line: string): void;
}

export class ScenarioStepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioStepError';
  }
}

export function regionOf(ctx: RunContext, name: string): ScenarioRegionHandle {
  const region = ctx.targets.region(name);
  if (!region.running) throw new ScenarioStepError(`region ${name} is down (crashed by an earlier step)`);
  return region;
}

export function allRegions(ctx: RunContext, choice: 'all' | string[]): string[] {
  return choice === 'all' ? ctx.scenario.regions.map((r) => r.name) : choice;
}

/** Mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Feeds what a step read into the run's trace, so a simulated run's hash covers what the scenario saw. */
export function observe(ctx: RunContext, what: string): void {
  ctx.targets.traceRead?.(what);
}

/** JSON with sorted object keys: equal values compare equal whatever order their attributes came in. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
