/** Attribute-granularity state of one item: per-attribute versions, a delete floor and liveness, and their join. */
import type { AttributeValue, Item, Version } from './types.js';
import { valuesEqual } from './values.js';
import { own, setOwn as assign } from './plainData.js';
import { compareVersions } from './version.js';

export interface AttributeState {
  versions: Record<string, Version>;
  values: Item;
  floor?: Version;
  live?: Version;
}

/** What attribute bookkeeping needs to know about one write. */
export interface AttributeWrite {
  kind: 'put' | 'update' | 'delete';
  version: Version;
  item: Item | null;
  keyNames: string[];
}

export function sameVersion(a: Version | undefined, b: Version | undefined): boolean {
  return a === undefined || b === undefined ? a === b : compareVersions(a, b) === 0;
}

export function maxVersion(a: Version | undefined, b: Version | undefined): Version | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareVersions(a, b) >= 0 ? a : b;
}

function below(version: Version, floor: Version | undefined): boolean {
  return floor !== undefined && compareVersions(version, floor) < 0;
}

/**
 * Drops whatever the floor hides: the floor only ever rises, so an entry or a liveness below it
 * can never be visible again. Pruning keeps states small and makes equal replicas byte-equal.
 */
function prune(state: AttributeState): AttributeState {
  const out: AttributeState = { versions: {}, values: {} };
  for (const name of Object.keys(state.versions).sort()) {
    const version = state.versions[name];
    if (below(version, state.floor)) continue;
    assign(out.versions, name, version);
    const value = own(state.values, name);
    if (value !== undefined) assign(out.values, name, value);
  }
  if (state.floor !== undefined) out.floor = state.floor;
  if (state.live !== undefined && !below(state.live, state.floor)) out.live = state.live;
  return out;
}

function nonKey(item: Item | null, keyNames: string[]): string[] {
  return item === null ? [] : Object.keys(item).filter((name) => !keyNames.includes(name));
}

/** Reads a state written without attribute bookkeeping (item granularity) as the put or delete it amounts to. */
export function fromItem(item: Item | null, version: Version, keyNames: string[]): AttributeState {
  if (item === null) return { versions: {}, values: {}, floor: version };
  const state: AttributeState = { versions: {}, values: {}, floor: version, live: version };
  for (const name of nonKey(item, keyNames).sort()) {
    assign(state.versions, name, version);
    assign(state.values, name, item[name]);
  }
  return state;
}

/**
 * The bookkeeping after one write, as if it were the latest. A put drops the entries of the
 * attributes it removes instead of marking them removed: its floor already hides every older
 * entry, and an entry newer than the put must survive the join anyway, so a marker would add
 * nothing but size. An update has no floor, so the attributes it removes do get a marker.
 */
export function writeAttributes(current: AttributeState | undefined, before: Item | null, write: AttributeWrite): AttributeState {
  const { version, item, keyNames } = write;
  const base = current ?? { versions: {}, values: {} };
  if (write.kind === 'delete' || item === null) return prune({ ...base, floor: version });
  if (write.kind === 'put') return fromItem(item, version, keyNames);
  const versions = { ...base.versions };
  const values = { ...base.values };
  const names = new Set([...nonKey(before, keyNames), ...nonKey(item, keyNames)]);
  for (const name of names) {
    const old = before === null ? undefined : own(before, name);
    const now = own(item, name);
    if (old === undefined ? now === undefined : now !== undefined && valuesEqual(old, now)) continue;
    assign(versions, name, version);
    if (now === undefined) delete values[name];
    else assign(values, name, now);
  }
  return prune({ versions, values, ...(base.floor ? { floor: base.floor } : {}), live: version });
}

/** The join: every register (floor, live, each attribute) independently keeps its larger version. */
export function joinAttributes(a: AttributeState, b: AttributeState): AttributeState {
  const versions: Record<string, Version> = {};
  const values: Item = {};
  for (const name of new Set([...Object.keys(a.versions), ...Object.keys(b.versions)])) {
    const va = own(a.versions, name);
    const vb = own(b.versions, name);
    const from = vb === undefined || (va !== undefined && compareVersions(va, vb) >= 0) ? a : b;
    assign(versions, name, from.versions[name]);
    const value = own(from.values, name);
    if (value !== undefined) assign(values, name, value);
  }
  const floor = maxVersion(a.floor, b.floor);
  const live = maxVersion(a.live, b.live);
  return prune({ versions, values, ...(floor ? { floor } : {}), ...(live ? { live } : {}) });
}

/** The item a reader sees: it exists iff the latest put or update is not older than the latest put or delete. */
export function visibleItem(state: AttributeState, keys: Item): Item | null {
  if (state.live === undefined || below(state.live, state.floor)) return null;
  const item: Item = { ...keys };
  for (const name of Object.keys(state.values).sort()) {
    const version = own(state.versions, name);
    if (version !== undefined && !below(version, state.floor)) assign(item, name, state.values[name]);
  }
  return item;
}

function sameRecord<T>(a: Record<string, T>, b: Record<string, T>, equal: (x: T, y: T) => boolean): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((name) => Object.hasOwn(b, name) && equal(a[name], b[name]));
}

export function sameItem(a: Item | null, b: Item | null): boolean {
  return a === null || b === null ? a === b : valuesEqual({ M: a }, { M: b });
}

export function sameAttributes(a: AttributeState | undefined, b: AttributeState | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return sameVersion(a.floor, b.floor) && sameVersion(a.live, b.live)
    && sameRecord(a.versions, b.versions, (x, y) => compareVersions(x, y) === 0)
    && sameRecord(a.values, b.values, (x: AttributeValue, y: AttributeValue) => valuesEqual(x, y));
}

/**
 * What the write that produced `loserVersion` wanted and did not get in the joined result:
 * the attributes it set (a put or delete sets all of them, absent ones included) that now hold
 * something else, and whether the item's existence came out otherwise. Undefined when nothing was lost.
 */
export function lostAttributes(loser: AttributeState, loserVersion: Version, result: AttributeState, resultItem: Item | null): string[] | undefined {
  const wrote = (version: Version | undefined) => version !== undefined && compareVersions(version, loserVersion) === 0;
  const whole = wrote(loser.floor);
  const names = new Set(Object.keys(loser.versions).filter((name) => wrote(loser.versions[name])));
  if (whole) for (const name of Object.keys(result.versions)) names.add(name);
  const lost = [...names].filter((name) => {
    const wanted = wrote(own(loser.versions, name)) ? own(loser.values, name) : undefined;
    const got = resultItem === null ? undefined : own(resultItem, name);
    return wanted === undefined || got === undefined ? wanted !== got : !valuesEqual(wanted, got);
  }).sort();
  const wantedExists = wrote(loser.live) ? true : whole ? false : undefined;
  const existenceLost = wantedExists !== undefined && wantedExists !== (resultItem !== null);
  return lost.length > 0 || existenceLost ? lost : undefined;
}
