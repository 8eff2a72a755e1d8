import { describe, expect, it } from 'vitest';
import {
  type Granularity, type VersionedState, type WriteKind, localWrite, mergeStates, overwriteClass,
} from '../../src/core/lww.js';
import type { AttributeValue, Item, Version } from '../../src/core/types.js';

const KEYS: Item = { pk: { S: 'k1' } };
const US = 'us-east-1';
const EU = 'eu-west-1';
const AP = 'ap-southeast-2';

function v(ts: number, region: string, counter = 0): Version {
  return { ts, counter, region };
}

/** A local write; `changes` are applied to the current visible item (null removes) for updates. */
function write(
  current: VersionedState | undefined, kind: WriteKind, version: Version, granularity: Granularity,
  changes: Record<string, AttributeValue | null> = {}, writtenAtMs = version.ts,
): VersionedState {
  let item: Item | null = null;
  if (kind !== 'delete') {
    item = { ...(kind === 'update' ? current?.item ?? KEYS : KEYS) };
    for (const [name, value] of Object.entries(changes)) {
      if (value === null) delete item[name];
      else Object.defineProperty(item, name, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  return localWrite(current, { kind, item, version, origin: version.region, writtenAtMs, keyNames: ['pk'] }, granularity);
}

const merge = (local: VersionedState | undefined, incoming: VersionedState, granularity: Granularity) =>
  mergeStates(local, incoming, granularity, KEYS);

const n = (value: number): AttributeValue => ({ N: String(value) });

describe('lww, item granularity', () => {
  it('applies into an empty replica, applies newer, ignores older, and treats equal versions as duplicates', () => {
    const a1 = write(undefined, 'put', v(1, US), 'item', { x: n(1) });
    const a2 = write(a1, 'update', v(2, US), 'item', { x: n(2) });
    expect(a2).toEqual({ item: { ...KEYS, x: n(2) }, version: v(2, US), prevVersion: v(1, US), origin: US, writtenAtMs: 2 });
    expect(a2.attributes).toBeUndefined();
    expect(merge(undefined, a1, 'item')).toEqual({ state: a1, changed: true, outcome: 'applied' });
    expect(merge(a1, a2, 'item')).toEqual({ state: a2, changed: true, outcome: 'applied' });
    const older = merge(a2, a1, 'item');
    expect(older).toEqual({ state: a2, changed: false, outcome: 'ignored' });
    expect(older.state).toBe(a2);
    expect(merge(a2, a2, 'item')).toEqual({ state: a2, changed: false, outcome: 'duplicate' });
  });

  it('fast-forwards without a conflict when the writer had seen the local version', () => {
    const a1 = write(undefined, 'put', v(1, US), 'item', { x: n(1) });
    const b2 = write(merge(undefined, a1, 'item').state, 'update', v(2, EU), 'item', { y: n(2) });
    const result = merge(a1, b2, 'item');
    expect(result.outcome).toBe('applied');
    expect(result.conflict).toBeUndefined();
    expect(result.state.item).toEqual({ ...KEYS, x: n(1), y: n(2) });
  });

  it('reports concurrent inserts as a newer-timestamp conflict on both sides', () => {
    const a = write(undefined, 'put', v(100, US), 'item', { x: n(1) });
    const b = write(undefined, 'put', v(200, EU), 'item', { x: n(2) });
    const atUs = merge(a, b, 'item');
    const atEu = merge(b, a, 'item');
    const expected = { winner: { version: v(200, EU), origin: EU, writtenAtMs: 200 }, loser: { version: v(100, US), origin: US, writtenAtMs: 100 }, reason: 'newer-timestamp' };
    expect(atUs).toMatchObject({ state: b, outcome: 'applied', conflict: expected });
    expect(atEu).toMatchObject({ state: b, outcome: 'ignored', changed: false, conflict: expected });
    expect(atUs.conflict?.lostAttributes).toBeUndefined();
    expect(overwriteClass(atUs.conflict)).toBe('concurrent');
  });

  it('classes a loss to a clock running ahead as skew-inverted', () => {
    const ahead = write(undefined, 'put', v(200, US), 'item', { x: n(1) }, 100);
    const later = write(undefined, 'put', v(150, EU), 'item', { x: n(2) }, 120);
    const result = merge(later, ahead, 'item');
    expect(result.state).toBe(ahead);
    expect(result.conflict).toMatchObject({ winner: { origin: US }, loser: { origin: EU, writtenAtMs: 120 }, reason: 'skew-inverted' });
    expect(overwriteClass(result.conflict)).toBe('skew-inverted');
  });

  it('lets the larger region id win a full tie of ts and counter', () => {
    const eu = write(undefined, 'put', v(5, EU, 1), 'item', { x: n(1) });
    const us = write(undefined, 'put', v(5, US, 1), 'item', { x: n(2) });
    for (const result of [merge(eu, us, 'item'), merge(us, eu, 'item')]) {
      expect(result.state).toBe(us);
      expect(result.conflict).toMatchObject({ winner: { origin: US }, loser: { origin: EU }, reason: 'tie-break-region' });
      expect(overwriteClass(result.conflict)).toBe('tie-break');
    }
  });

  it('classes an overwrite without a conflict as superseded', () => {
    expect(overwriteClass(undefined)).toBe('superseded');
  });

  it('keeps a tombstone from letting an older put resurrect the item', () => {
    const a1 = write(undefined, 'put', v(10, US), 'item', { x: n(1) });
    const a2 = write(a1, 'delete', v(50, US), 'item');
    const old = write(undefined, 'put', v(30, AP), 'item', { x: n(3) });
    const result = merge(a2, old, 'item');
    expect(result).toMatchObject({ changed: false, outcome: 'ignored', state: { item: null } });
    expect(result.conflict?.loser.origin).toBe(AP);
  });

  it('joins a write stamped below the current version instead of overwriting it', () => {
    const newer = write(undefined, 'put', v(100, EU), 'item', { x: n(1) });
    const stale = write(newer, 'update', v(90, US), 'item', { x: n(2) });
    expect(stale).toBe(newer);
  });
});

describe.each<Granularity>(['item', 'attribute'])('lww, %s granularity, three regions', (granularity) => {
  it('delivers a1 → b2 (prev a1) → a3 (prev b2) in any order without conflicts and to the same state', () => {
    const a1 = write(undefined, 'put', v(1, US), granularity, { x: n(1), y: n(1) });
    const b2 = write(merge(undefined, a1, granularity).state, 'update', v(2, EU), granularity, { y: n(2) });
    const a3 = write(merge(a1, b2, granularity).state, 'update', v(3, US), granularity, { x: n(3), z: n(3) });
    expect(b2.prevVersion).toEqual(v(1, US));
    expect(a3.prevVersion).toEqual(v(2, EU));
    const orders = [[a1, b2, a3], [a3, a1, b2], [a3, b2, a1], [b2, a3, a1], [b2, a1, a3], [a1, a3, b2]];
    const finals = orders.map((order) => {
      let state: VersionedState | undefined;
      for (const incoming of order) {
        const result = merge(state, incoming, granularity);
        expect(result.conflict).toBeUndefined();
        state = result.state;
      }
      return state;
    });
    for (const state of finals) expect(state).toEqual(a3);
    expect(a3.item).toEqual({ ...KEYS, x: n(3), y: n(2), z: n(3) });
  });
});

describe('lww, attribute granularity', () => {
  const base = () => write(undefined, 'put', v(1, US), 'attribute', { x: n(1), y: n(1) });

  it('records per-attribute versions, a floor and liveness', () => {
    const a1 = base();
    expect(a1.attributes).toEqual({ versions: { x: v(1, US), y: v(1, US) }, values: { x: n(1), y: n(1) }, floor: v(1, US), live: v(1, US) });
    const a2 = write(a1, 'update', v(2, US), 'attribute', { y: null, z: n(2) });
    expect(a2.item).toEqual({ ...KEYS, x: n(1), z: n(2) });
    expect(a2.attributes).toEqual({
      versions: { x: v(1, US), y: v(2, US), z: v(2, US) }, values: { x: n(1), z: n(2) }, floor: v(1, US), live: v(2, US),
    });
    const a3 = write(a2, 'put', v(3, US), 'attribute', { w: n(3) });
    expect(a3.attributes).toEqual({ versions: { w: v(3, US) }, values: { w: n(3) }, floor: v(3, US), live: v(3, US) });
    const a4 = write(a3, 'delete', v(4, US), 'attribute');
    expect(a4).toEqual({ item: null, version: v(4, US), prevVersion: v(3, US), origin: US, writtenAtMs: 4, attributes: { versions: {}, values: {}, floor: v(4, US) } });
  });

  it('keeps both of two concurrent updates of disjoint attributes', () => {
    const a1 = base();
    const atEu = merge(undefined, a1, 'attribute').state;
    const a2 = write(a1, 'update', v(2, US), 'attribute', { x: n(2) });
    const b3 = write(atEu, 'update', v(3, EU), 'attribute', { y: n(3) });
    const atUs = merge(a2, b3, 'attribute');
    const atEu2 = merge(b3, a2, 'attribute');
    for (const result of [atUs, atEu2]) {
      expect(result).toMatchObject({ changed: true, outcome: 'merged' });
      expect(result.conflict).toBeUndefined();
      expect(result.state.item).toEqual({ ...KEYS, x: n(2), y: n(3) });
    }
    expect(atUs.state).toEqual(atEu2.state);
    expect(atUs.state).toMatchObject({ version: v(3, EU), prevVersion: v(1, US), origin: EU });
  });

  it('reports the attribute lost when two concurrent updates set the same one', () => {
    const a1 = base();
    const a2 = write(a1, 'update', v(2, US), 'attribute', { x: n(2) });
    const b3 = write(merge(undefined, a1, 'attribute').state, 'update', v(3, EU), 'attribute', { x: n(3) });
    const atUs = merge(a2, b3, 'attribute');
    const atEu = merge(b3, a2, 'attribute');
    expect(atUs).toMatchObject({ outcome: 'applied', changed: true });
    expect(atEu).toMatchObject({ outcome: 'ignored', changed: false });
    for (const result of [atUs, atEu]) {
      expect(result.state.item).toEqual({ ...KEYS, x: n(3), y: n(1) });
      expect(result.conflict).toEqual({
        winner: { version: v(3, EU), origin: EU, writtenAtMs: 3 },
        loser: { version: v(2, US), origin: US, writtenAtMs: 2 },
        reason: 'newer-timestamp',
        lostAttributes: ['x'],
      });
    }
  });

  it('resurrects a deleted item with its keys and only the attribute a newer concurrent update set', () => {
    const a1 = base();
    const atEu = merge(undefined, a1, 'attribute').state;
    const a2 = write(a1, 'delete', v(2, US), 'attribute');
    const b3 = write(atEu, 'update', v(3, EU), 'attribute', { x: n(5) });
    for (const result of [merge(a2, b3, 'attribute'), merge(b3, a2, 'attribute')]) {
      expect(result.outcome).toBe('merged');
      expect(result.state.item).toEqual({ ...KEYS, x: n(5) });
      expect(result.conflict).toMatchObject({ winner: { origin: EU }, loser: { origin: US }, lostAttributes: ['x'] });
    }
  });

  it('lets a put after a delete recreate the item from scratch', () => {
    const a1 = base();
    const a2 = write(a1, 'delete', v(2, US), 'attribute');
    const b3 = write(merge(undefined, a2, 'attribute').state, 'put', v(3, EU), 'attribute', { z: n(3) });
    const result = merge(a2, b3, 'attribute');
    expect(result).toMatchObject({ outcome: 'applied', changed: true, state: { item: { ...KEYS, z: n(3) } } });
    expect(result.conflict).toBeUndefined();
    expect(result.state.attributes).toEqual({ versions: { z: v(3, EU) }, values: { z: n(3) }, floor: v(3, EU), live: v(3, EU) });
  });

  it('keeps a tombstone from letting an older concurrent put resurrect the item', () => {
    const a1 = write(undefined, 'put', v(10, US), 'attribute', { x: n(1) });
    const a2 = write(a1, 'delete', v(50, US), 'attribute');
    const old = write(undefined, 'put', v(30, AP), 'attribute', { x: n(3), y: n(3) });
    const result = merge(a2, old, 'attribute');
    expect(result).toMatchObject({ changed: false, outcome: 'ignored', state: { item: null } });
    expect(result.state).toBe(a2);
    expect(result.conflict).toMatchObject({ winner: { origin: US }, loser: { origin: AP }, lostAttributes: ['x', 'y'] });
  });

  it('keeps an attribute removed by an update from coming back with an older concurrent value', () => {
    const a1 = base();
    const atEu = merge(undefined, a1, 'attribute').state;
    const b2 = write(atEu, 'update', v(2, EU), 'attribute', { x: n(7) });
    const a3 = write(a1, 'update', v(3, US), 'attribute', { x: null });
    for (const result of [merge(a3, b2, 'attribute'), merge(b2, a3, 'attribute')]) {
      expect(result.state.item).toEqual({ ...KEYS, y: n(1) });
      expect(result.conflict?.lostAttributes).toEqual(['x']);
    }
  });

  it('does not report a conflict when the loser lost nothing', () => {
    const a1 = base();
    const atEu = merge(undefined, a1, 'attribute').state;
    const a2 = write(a1, 'update', v(2, US), 'attribute', { x: n(9) });
    const b3 = write(atEu, 'update', v(3, EU), 'attribute', { x: n(9) });
    const result = merge(a2, b3, 'attribute');
    expect(result.conflict).toBeUndefined();
    expect(result.state.item).toEqual({ ...KEYS, x: n(9), y: n(1) });
  });

  it('reads a state stored without attribute bookkeeping as the put or delete it was', () => {
    const itemState = write(undefined, 'put', v(1, US), 'item', { x: n(1) });
    const b2 = write(itemState, 'update', v(2, EU), 'attribute', { y: n(2) });
    expect(b2.attributes).toEqual({ versions: { x: v(1, US), y: v(2, EU) }, values: { x: n(1), y: n(2) }, floor: v(1, US), live: v(2, EU) });
    expect(merge(undefined, itemState, 'attribute').state.attributes?.floor).toEqual(v(1, US));
  });

  it('joins a write stamped below what the region holds, so it loses only where something newer exists', () => {
    const newer = write(write(undefined, 'put', v(10, EU), 'attribute', { x: n(0) }), 'update', v(100, EU), 'attribute', { x: n(1) });
    const stale = write(newer, 'update', v(90, US), 'attribute', { x: n(2), y: n(2) });
    expect(stale.item).toEqual({ ...KEYS, x: n(1), y: n(2) });
    expect(stale).toMatchObject({ version: v(100, EU), origin: EU });
    expect(merge(stale, newer, 'attribute')).toMatchObject({ changed: false, outcome: 'duplicate' });
    const afterPut = write(write(undefined, 'put', v(100, EU), 'attribute', { x: n(1) }), 'update', v(90, US), 'attribute', { y: n(2) });
    expect(afterPut.item).toEqual({ ...KEYS, x: n(1) }); // the newer put removed everything written before it
  });

  it('handles an attribute named __proto__ as a plain attribute', () => {
    const a1 = write(undefined, 'put', v(1, US), 'attribute', JSON.parse('{"__proto__": {"N": "1"}}'));
    expect(Object.keys(a1.item ?? {})).toEqual(['pk', '__proto__']);
    expect(Object.keys(a1.attributes?.versions ?? {})).toEqual(['__proto__']);
  });
});
