import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Granularity, type VersionedState, type WriteKind, localWrite, mergeStates,
} from '../../src/core/lww.js';
import type { AttributeValue, Item, Version } from '../../src/core/types.js';
import { valuesEqual } from '../../src/core/values.js';
import { compareVersions } from '../../src/core/version.js';
import { propertyParameters } from '../helpers/seed.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const NAMES = ['a', 'b', 'c', 'd'];
const KEYS: Item = { pk: { S: 'k' } };
const GRANULARITIES: Granularity[] = ['item', 'attribute'];

type Changes = Record<string, AttributeValue | null>;
type Step =
  | { type: 'write'; region: number; kind: WriteKind; ts: number; changes: Changes }
  | { type: 'deliver'; from: number; to: number; pick: number };

interface Write { kind: WriteKind; version: Version; before: Item | null; item: Item | null }

const value = fc.oneof(
  fc.integer({ min: 0, max: 2 }).map((n): AttributeValue => ({ N: String(n) })),
  fc.constantFrom<AttributeValue>({ S: 'x' }, { BOOL: true }),
);
const region = fc.integer({ min: 0, max: REGIONS.length - 1 });
// Few timestamps, so equal ones (counter and region tie-breaks) and clocks going backwards are common.
const writeStep = fc.record({
  type: fc.constant('write' as const),
  region,
  kind: fc.constantFrom<WriteKind>('put', 'update', 'update', 'delete'),
  ts: fc.integer({ min: 0, max: 6 }),
  changes: fc.dictionary(fc.constantFrom(...NAMES), fc.option(value, { nil: null }), { maxKeys: NAMES.length }),
});
const deliverStep = fc.record({ type: fc.constant('deliver' as const), from: region, to: region, pick: fc.nat() });
const program = fc.array(fc.oneof(writeStep, deliverStep), { maxLength: 40 });
const pairs = REGIONS.flatMap((_, from) => REGIONS.map((__, to) => [from, to] as const)).filter(([from, to]) => from !== to);
const finalOrder = fc.shuffledSubarray(pairs, { minLength: pairs.length, maxLength: pairs.length });

/** The item a client's write leaves: a put replaces, an update edits the visible item (null removes). */
function itemAfter(before: Item | null, kind: WriteKind, changes: Changes): Item | null {
  if (kind === 'delete') return null;
  const item: Item = { ...(kind === 'update' && before ? before : KEYS) };
  for (const [name, change] of Object.entries(changes)) {
    if (change === null) delete item[name];
    else item[name] = change;
  }
  return item;
}

function merge(local: VersionedState | undefined, incoming: VersionedState, granularity: Granularity) {
  const result = mergeStates(local, incoming, granularity, KEYS);
  if (result.conflict) expect(compareVersions(result.conflict.winner.version, result.conflict.loser.version)).toBe(1);
  if (!result.changed) expect(result.state).toBe(local);
  return result;
}

/** Runs a program; every state any region held is kept, as change streams would carry it. */
function simulate(steps: Step[], granularity: Granularity) {
  const states: (VersionedState | undefined)[] = REGIONS.map(() => undefined);
  const logs: VersionedState[][] = REGIONS.map(() => []);
  const stamped = new Map<string, number>();
  const writes: Write[] = [];
  steps.forEach((step, time) => {
    if (step.type === 'write') {
      const current = states[step.region];
      const before = current?.item ?? null;
      const item = itemAfter(before, step.kind, step.changes);
      const stamp = `${step.region}:${step.ts}`;
      const version = { ts: step.ts, counter: stamped.get(stamp) ?? 0, region: REGIONS[step.region] };
      stamped.set(stamp, version.counter + 1);
      writes.push({ kind: step.kind, version, before, item });
      const next = localWrite(current, { kind: step.kind, item, version, origin: version.region, writtenAtMs: time, keyNames: ['pk'] }, granularity);
      if (current === undefined || compareVersions(version, current.version) > 0) expect(next.item).toEqual(item);
      if (current !== undefined) expect(merge(next, current, granularity).changed).toBe(false);
      states[step.region] = next;
      logs[step.region].push(next);
    } else if (step.from !== step.to) {
      const log = logs[step.from];
      const current = states[step.from];
      const choices = current ? [...log, current] : log;
      if (choices.length === 0) return;
      states[step.to] = merge(states[step.to], choices[step.pick % choices.length], granularity).state;
      logs[step.to].push(states[step.to]!);
    }
  });
  return { states, logs, writes };
}

const maxOf = (versions: Version[]) => versions.reduce<Version | undefined>((max, v) => (max && compareVersions(max, v) >= 0 ? max : v), undefined);

/** Per-attribute last-writer-wins computed straight from the writes: a put or delete sets every attribute. */
function attributeOracle(writes: Write[]): Item | null {
  const floor = maxOf(writes.filter((w) => w.kind !== 'update').map((w) => w.version));
  const live = maxOf(writes.filter((w) => w.kind !== 'delete').map((w) => w.version));
  if (!live || (floor && compareVersions(live, floor) < 0)) return null;
  const item: Item = { ...KEYS };
  for (const name of NAMES) {
    const touching = writes.filter((w) => w.kind !== 'update' || !sameValue(w.before?.[name], w.item?.[name]));
    const last = touching.reduce<Write | undefined>((max, w) => (max && compareVersions(max.version, w.version) >= 0 ? max : w), undefined);
    const got = last?.item?.[name];
    if (got) item[name] = got;
  }
  return item;
}

function sameValue(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  return a === undefined || b === undefined ? a === b : valuesEqual(a, b);
}

describe.each(GRANULARITIES)('lww join, %s granularity (property)', (granularity) => {
  it('is commutative, associative and idempotent on states produced by local writes', () => {
    fc.assert(fc.property(program, fc.nat(), fc.nat(), fc.nat(), (steps, i, j, k) => {
      const { states, logs } = simulate(steps, granularity);
      const pool = [...logs.flat(), ...states.filter((s): s is VersionedState => s !== undefined)];
      if (pool.length === 0) return;
      const [a, b, c] = [i, j, k].map((index) => pool[index % pool.length]);
      const join = (x: VersionedState, y: VersionedState) => merge(x, y, granularity).state;
      expect(join(a, b)).toEqual(join(b, a));
      expect(join(join(a, b), c)).toEqual(join(a, join(b, c)));
      expect(merge(a, a, granularity)).toEqual({ state: a, changed: false, outcome: 'duplicate' });
    }), propertyParameters(`lww laws (${granularity})`, 300));
  });

  it('converges once every region has every final state, and the last writer wins', () => {
    fc.assert(fc.property(program, finalOrder, (steps, order) => {
      const { states, writes } = simulate(steps, granularity);
      const finals = [...states];
      for (const [from, to] of order) if (finals[from]) states[to] = merge(states[to], finals[from]!, granularity).state;
      expect(states[1]).toEqual(states[0]);
      expect(states[2]).toEqual(states[0]);
      const last = maxOf(writes.map((w) => w.version));
      if (!last) return;
      expect(states[0]?.version).toEqual(last);
      const expected = granularity === 'item'
        ? writes.find((w) => compareVersions(w.version, last) === 0)!.item
        : attributeOracle(writes);
      expect(states[0]?.item).toEqual(expected);
    }), propertyParameters(`lww convergence (${granularity})`, 500));
  });
});
