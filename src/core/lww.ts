/** Last-writer-wins state of one item key: local writes, the replication join, and how conflicts are classed. */
import type { Item, Version } from './types.js';
import {
  type AttributeState, fromItem, joinAttributes, lostAttributes, sameAttributes, sameItem, sameVersion, visibleItem, writeAttributes,
} from './lwwAttributes.js';
import { compareVersions } from './version.js';

export type Granularity = 'item' | 'attribute';

/** What one write was: its version, origin region, true (unskewed) time it was made. */
export interface WriteInfo { version: Version; origin: string; writtenAtMs: number }

/** What a replica stores for one key (JSON-serializable; stored in LMDB as-is). */
export interface VersionedState {
  /** The visible item (key attributes included), or null when the item does not exist (tombstone). */
  item: Item | null;
  /** Highest version of any write merged into this state. */
  version: Version;
  /** The version the writer of `version` held before that write (absent when it had nothing). */
  prevVersion?: Version;
  /** Origin region and true time of the write that produced `version`. */
  origin: string;
  writtenAtMs: number;
  /** attribute granularity only (absent in item mode): */
  attributes?: {
    /** Version of the latest write of each top-level NON-key attribute, including removed ones (those are absent from `values`). */
    versions: Record<string, Version>;
    /** Values of present non-key attributes (whether they are visible also depends on `floor`). */
    values: Item;
    /** Latest put or delete: attributes with a version below it are gone. */
    floor?: Version;
    /** Latest put or update. The item exists iff live !== undefined and (floor === undefined or live >= floor). */
    live?: Version;
  };
}

export type WriteKind = 'put' | 'update' | 'delete';

export interface LocalWrite extends WriteInfo {
  kind: WriteKind;
  /** The item after the write (whole item, keys included) or null for a delete. */
  item: Item | null;
  /** The table's key attribute names (never versioned per attribute). */
  keyNames: string[];
}

export type ConflictReason = 'newer-timestamp' | 'tie-break-region' | 'skew-inverted';

export interface Conflict {
  winner: WriteInfo;
  loser: WriteInfo;
  reason: ConflictReason;
  /** attribute mode: the top-level attributes the loser wrote that were lost to the winner (omitted in item mode). */
  lostAttributes?: string[];
}

export type MergeOutcome =
  | 'duplicate' // incoming version equals local version: nothing changes
  | 'applied' // incoming is newer and replaces/advances the local state
  | 'ignored' // incoming is older: local state already wins (in attribute mode: nothing of it survives)
  | 'merged'; // attribute mode: both sides contributed surviving attributes

export interface MergeResult {
  /** The state to store (the local object itself when changed === false). */
  state: VersionedState;
  changed: boolean;
  outcome: MergeOutcome;
  /** Present when the two writes were concurrent and one lost something. */
  conflict?: Conflict;
}

/** How an overwritten acknowledged write is classed (used in reports). */
export type OverwriteClass = 'superseded' | 'concurrent' | 'skew-inverted' | 'tie-break';

function keysOf(item: Item | null | undefined, keyNames: string[]): Item {
  return Object.fromEntries(keyNames.filter((name) => item && Object.hasOwn(item, name)).map((name) => [name, item![name]]));
}

function build(item: Item | null, info: WriteInfo & { prevVersion?: Version }, attributes?: AttributeState): VersionedState {
  const state: VersionedState = {
    item,
    version: info.version,
    ...(info.prevVersion ? { prevVersion: info.prevVersion } : {}),
    origin: info.origin,
    writtenAtMs: info.writtenAtMs,
  };
  if (attributes) state.attributes = attributes;
  return state;
}

function attributesOf(state: VersionedState, keyNames: string[]): AttributeState {
  return state.attributes ?? fromItem(state.item, state.version, keyNames);
}

/**
 * The state a write produces when taken as the latest thing that happened to the key: what the
 * writer publishes when its clock is ahead of everything it holds (always so with hlc clocks).
 */
export function writeState(current: VersionedState | undefined, write: LocalWrite, granularity: Granularity): VersionedState {
  const info = { ...write, prevVersion: current?.version };
  if (granularity === 'item') return build(write.item, info);
  const attributes = writeAttributes(current && attributesOf(current, write.keyNames), current?.item ?? null, write);
  return build(visibleItem(attributes, keysOf(write.item ?? current?.item, write.keyNames)), info, attributes);
}

/** What a local write leaves, and the conflict when (part of) it lost at once. */
export interface LocalWriteResult {
  state: VersionedState;
  /** False when the write lost entirely: nothing to store or record. */
  changed: boolean;
  /** Present when the write was stamped at or below the current version and did not survive whole. */
  lost?: Conflict;
}

/**
 * A local write. One stamped at or below the current version (a wall clock running behind what
 * this region already holds) is joined rather than laid over: overwriting would leave this region
 * holding the older write forever, since the newer one it replaced has already been delivered here
 * and is never sent again, while every other region ignores ours. Such a write loses, wholly or in
 * part, exactly as it would in every other region, and that loss is reported.
 */
export function applyLocalWrite(current: VersionedState | undefined, write: LocalWrite, granularity: Granularity): LocalWriteResult {
  const next = writeState(current, write, granularity);
  if (current === undefined || compareVersions(write.version, current.version) > 0) return { state: next, changed: true };
  const merged = mergeStates(current, next, granularity, keysOf(write.item ?? current.item, write.keyNames));
  const survived = sameItem(merged.state.item, next.item);
  return {
    state: merged.state,
    changed: merged.changed,
    ...(survived ? {} : { lost: merged.conflict ?? conflictOf(current, next) }),
  };
}

/** The state after a local write (see applyLocalWrite). */
export function localWrite(current: VersionedState | undefined, write: LocalWrite, granularity: Granularity): VersionedState {
  return applyLocalWrite(current, write, granularity).state;
}

function infoOf(state: VersionedState): WriteInfo {
  return { version: state.version, origin: state.origin, writtenAtMs: state.writtenAtMs };
}

/**
 * Concurrent unless the newer writer had seen the older version or something after it. Counting
 * "saw something newer" as seen keeps out-of-order delivery through three regions from looking
 * like a conflict.
 */
function concurrent(newer: VersionedState, older: VersionedState): boolean {
  return newer.prevVersion === undefined || compareVersions(newer.prevVersion, older.version) < 0;
}

function conflictOf(winner: VersionedState, loser: VersionedState, lost?: string[]): Conflict {
  const [w, l] = [winner.version, loser.version];
  const reason: ConflictReason = w.ts === l.ts && w.counter === l.counter ? 'tie-break-region'
    : loser.writtenAtMs > winner.writtenAtMs ? 'skew-inverted' : 'newer-timestamp';
  return { winner: infoOf(winner), loser: infoOf(loser), reason, ...(lost ? { lostAttributes: lost } : {}) };
}

function sameState(a: VersionedState, b: VersionedState): boolean {
  return compareVersions(a.version, b.version) === 0 && sameVersion(a.prevVersion, b.prevVersion)
    && a.origin === b.origin && a.writtenAtMs === b.writtenAtMs
    && sameItem(a.item, b.item) && sameAttributes(a.attributes, b.attributes);
}

/** Joins an incoming replicated state into the local one (local undefined = nothing stored). keys = the item's key attributes. */
export function mergeStates(local: VersionedState | undefined, incoming: VersionedState, granularity: Granularity, keys: Item): MergeResult {
  const keyNames = Object.keys(keys);
  if (local === undefined) {
    const state = granularity === 'attribute' && !incoming.attributes
      ? build(incoming.item, incoming, attributesOf(incoming, keyNames))
      : incoming;
    return { state, changed: true, outcome: 'applied' };
  }
  const order = compareVersions(incoming.version, local.version);
  const [newer, older] = order > 0 ? [incoming, local] : [local, incoming];
  const clash = order !== 0 && concurrent(newer, older);
  if (granularity === 'item') {
    if (order === 0) return { state: local, changed: false, outcome: 'duplicate' };
    const conflict = clash ? { conflict: conflictOf(newer, older) } : {};
    return order > 0
      ? { state: incoming, changed: true, outcome: 'applied', ...conflict }
      : { state: local, changed: false, outcome: 'ignored', ...conflict };
  }
  const olderAttributes = attributesOf(older, keyNames);
  const attributes = joinAttributes(attributesOf(local, keyNames), attributesOf(incoming, keyNames));
  const joined = build(visibleItem(attributes, keys), newer, attributes);
  const lost = clash ? lostAttributes(olderAttributes, older.version, attributes, joined.item) : undefined;
  const conflict = lost ? { conflict: conflictOf(newer, older, lost) } : {};
  if (sameState(joined, local)) return { state: local, changed: false, outcome: order === 0 ? 'duplicate' : 'ignored', ...conflict };
  const outcome: MergeOutcome = order > 0 && sameItem(joined.item, incoming.item) ? 'applied' : 'merged';
  return { state: joined, changed: true, outcome, ...conflict };
}

const CLASSES: Record<ConflictReason, OverwriteClass> = {
  'newer-timestamp': 'concurrent',
  'skew-inverted': 'skew-inverted',
  'tie-break-region': 'tie-break',
};

/** How an overwritten acknowledged write is classed: no conflict means a later write superseded it. */
export function overwriteClass(conflict: Conflict | undefined): OverwriteClass {
  return conflict === undefined ? 'superseded' : CLASSES[conflict.reason];
}
