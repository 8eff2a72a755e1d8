/**
 * A fuzz history as plain data: the regions and the body of steps, each step exactly as a scenario
 * file writes it (a map with one key, the step kind). Plain data is what lets every history be
 * written as a scenario file, replayed with `globaltables run --sim`, and shrunk by removing steps.
 */
import type { StepKind } from '../../scenario/schema.js';

/** One step as a scenario file holds it: `{ put: { region, table, item } }`. */
export type StepData = { [K in StepKind]?: Record<string, unknown> };

export type ClockModeChoice = 'hlc' | 'wall';
export type GranularityChoice = 'item' | 'attribute';

export interface FuzzRegion {
  name: string;
  clock: { mode: ClockModeChoice; skewMs: number };
}

export interface History {
  /** Seeds both the generator and the simulated cluster, so one number replays the whole run. */
  seed: number;
  granularity: GranularityChoice;
  regions: FuzzRegion[];
  /** The generated steps, between the fixed prologue (createTable, enableTtl) and finale (heal, re-add, converge). */
  steps: StepData[];
}

/** The one table every history writes, and its partition key attribute. */
export const FUZZ_TABLE = 'fuzz';
export const KEY_ATTRIBUTE = 'pk';
/** The fuzz table expires items by this attribute (epoch seconds), as the prologue's enableTtl sets it. */
export const TTL_ATTRIBUTE = 'expiresAt';

/** At most six regions, as the scenario format allows. */
export const REGION_NAMES = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2', 'eu-central-1', 'sa-east-1'] as const;

/** The step's kind: its single key. */
export function kindOf(step: StepData): StepKind {
  return Object.keys(step)[0] as StepKind;
}

/** The step's arguments (its single value). */
export function argsOf(step: StepData): Record<string, unknown> {
  return step[kindOf(step)] ?? {};
}

const WRITE_KINDS: readonly StepKind[] = ['put', 'update', 'delete'];
const FAULT_KINDS: readonly StepKind[] = [
  'partition', 'heal', 'latency', 'networkFaults', 'crashRegion', 'restartRegion', 'crashNats', 'restartNats', 'clockSkew', 'clockJump', 'removeReplica', 'addReplica',
];

export const isWrite = (step: StepData): boolean => WRITE_KINDS.includes(kindOf(step));
export const isFault = (step: StepData): boolean => FAULT_KINDS.includes(kindOf(step));
