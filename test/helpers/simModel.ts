/**
 * The model side of the model-based tests (simulated and real clusters alike): what is down, and
 * every write each region acknowledged with the version it stored. The oracles (last writer wins
 * at item or at attribute granularity) and the checks after a history are computed from it.
 */
import type { Granularity, WriteKind } from '../../src/core/lww.js';
import type { AttributeValue, Item, Version } from '../../src/core/types.js';
import { compareVersions } from '../../src/core/version.js';
import type { SimulatedCluster } from '../../src/sim/cluster.js';
import { REGIONS, type RegionName } from './modelRegion.js';

export const KEYS = ['k0', 'k1', 'k2'] as const;

export type UpdateVariant = 'set' | 'add' | 'remove';

/** A condition on whether the region holds the key when the write runs; false there, the write is refused and leaves nothing. */
export type WriteCondition = 'exists' | 'absent';

export type WriteSpec = (
  | { kind: 'put'; a: string }
  | { kind: 'update'; variant: UpdateVariant; a: string; addN: number }
  | { kind: 'delete' }
) & { condition?: WriteCondition };

/**
 * A write that took effect in its region: the item it left there (null: deleted) and its version.
 * At attribute granularity also what it touched: each non-key attribute that got its version, with
 * the value it set (null: removed). An update touches only what it changed; a put touches what it
 * holds and hides the rest behind its floor; a delete touches nothing and hides everything.
 */
export interface AckedWrite {
  region: string; pk: string; tag: string; kind: WriteKind; version: Version; item: Item | null;
  /** The version its region held for the key when it wrote (what it had seen); absent: nothing. */
  prevVersion?: Version;
  touched?: Record<string, AttributeValue | null>;
}

/** A write whose outcome is unknown (or, at attribute granularity, only partly known): it may have left what its spec says, or nothing. */
export interface UncertainWrite { pk: string; tag: string; spec: WriteSpec }

export interface ModelState {
  granularity: Granularity;
  /** The global table the history writes (each real history has its own). */
  table: string;
  down: Set<RegionName>;
  busDown: Set<RegionName>;
  /** Directed links "from->to" with faults on (a stall or data faults). */
  faultyLinks: Set<string>;
  writes: AckedWrite[];
  /** Every tag a write carried, whatever became of the write, except writes refused by their condition: those left nothing. */
  issuedTags: Set<string>;
  /** Writes never acknowledged (the call failed, or the region crashed first): each may or may not have happened. */
  uncertainWrites: UncertainWrite[];
  /** Highest version each region was seen storing for each key ("region|pk"). */
  highestSeen: Map<string, Version>;
  /** Slots whose last record seen was a tombstone: only such a record may be purged. */
  tombstoneSeen: Set<string>;
  /** Acknowledged writes a wall-clock region stamped below what it held: they lost at once. */
  lostAtOnce: number;
  /** Acknowledged writes a concurrent, newer write from elsewhere overtook while they committed. */
  overtaken: number;
  /** Conditional writes the region refused (ConditionalCheckFailedException). */
  conditionFailed: number;
  crashes: number;
  busKills: number;
  nextTag: number;
}

/** The simulated system its fault commands run against (write commands need only a ModelReal). */
export interface RealCluster { cluster: SimulatedCluster }

export function emptyModel(granularity: Granularity, table: string): ModelState {
  return {
    granularity, table, down: new Set(), busDown: new Set(), faultyLinks: new Set(), writes: [], issuedTags: new Set(), uncertainWrites: [],
    highestSeen: new Map(), tombstoneSeen: new Set(), lostAtOnce: 0, overtaken: 0, conditionFailed: 0, crashes: 0, busKills: 0, nextTag: 0,
  };
}

export function upRegions(model: ModelState): RegionName[] {
  return REGIONS.filter((r) => !model.down.has(r));
}

/** The acknowledged write with the largest stored version for a key (undefined: never written). */
export function lastWriterOf(model: ModelState, pk: string): AckedWrite | undefined {
  let winner: AckedWrite | undefined;
  for (const write of model.writes) {
    if (write.pk === pk && (!winner || compareVersions(write.version, winner.version) > 0)) winner = write;
  }
  return winner;
}

/** An item as one comparable string: its attributes in name order. */
export function canonicalItem(item: Item | null | undefined): string {
  if (!item) return 'absent';
  return JSON.stringify(Object.keys(item).sort().map((name) => [name, item[name]]));
}

export function versionText(version: Version | undefined): string {
  return version ? `${version.ts}.${version.counter}@${version.region}` : 'none';
}

/** The string of an S value (undefined for any other type or none). */
export function stringOf(value: AttributeValue | undefined): string | undefined {
  return value && 'S' in value ? value.S : undefined;
}

/** The digits of an N value (undefined for any other type or none). */
export function numberOf(value: AttributeValue | undefined): string | undefined {
  return value && 'N' in value ? value.N : undefined;
}
