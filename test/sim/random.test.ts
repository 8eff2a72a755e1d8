import { describe, expect, it } from 'vitest';
import { EmptyChoiceError, SimRandom } from '../../src/sim/random.js';

const draw = (random: SimRandom, count: number): number[] => Array.from({ length: count }, () => random.nextUint32());

describe('SimRandom', () => {
  it('is xoshiro128**: the reference outputs from state (1, 2, 3, 4)', () => {
    const random = new SimRandom(0);
    // The state is private; set it to the reference implementation's test state.
    Object.assign(random, { s0: 1, s1: 2, s2: 3, s3: 4 });
    expect(draw(random, 6)).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('gives one sequence per seed, the same on every platform, and another for another seed', () => {
    expect(draw(new SimRandom(42), 5)).toEqual([3869761565, 975818583, 723183146, 667749604, 3378055529]);
    expect(draw(new SimRandom(42), 100)).toEqual(draw(new SimRandom(42), 100));
    expect(draw(new SimRandom(43), 5)).not.toEqual(draw(new SimRandom(42), 5));
    expect(draw(new SimRandom(-42), 5)).not.toEqual(draw(new SimRandom(42), 5));
    expect(draw(new SimRandom(2 ** 40 + 42), 5)).not.toEqual(draw(new SimRandom(42), 5));
  });

  it('draws within the asked ranges', () => {
    const random = new SimRandom(7);
    let sum = 0;
    const outside: string[] = [];
    for (let i = 0; i < 10_000; i += 1) {
      const x = random.next();
      if (!(x >= 0 && x < 1)) outside.push(`next ${x}`);
      sum += x;
      const n = random.int(6);
      if (!(Number.isInteger(n) && n >= 0 && n < 6)) outside.push(`int ${n}`);
      const u = random.uniform(-3, 5);
      if (!(u >= -3 && u < 5)) outside.push(`uniform ${u}`);
      const e = random.exponential(10);
      if (!(e >= 0)) outside.push(`exponential ${e}`);
    }
    expect(outside).toEqual([]);
    expect(sum / 10_000).toBeCloseTo(0.5, 1);
    expect(random.chance(0)).toBe(false);
    expect(random.chance(1)).toBe(true);
  });

  it('has the asked mean for exponential draws and rates for chance', () => {
    const random = new SimRandom(11);
    let total = 0;
    let hits = 0;
    for (let i = 0; i < 100_000; i += 1) {
      total += random.exponential(40);
      if (random.chance(0.25)) hits += 1;
    }
    expect(total / 100_000).toBeGreaterThan(39);
    expect(total / 100_000).toBeLessThan(41);
    expect(hits / 100_000).toBeCloseTo(0.25, 2);
  });

  it('picks every element of an array, and refuses an empty one', () => {
    const random = new SimRandom(3);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i += 1) seen.add(random.pick(['a', 'b', 'c']));
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
    expect(() => random.pick([])).toThrow(EmptyChoiceError);
  });

  it('makes version 4 uuids from its stream: well formed, distinct, replayable', () => {
    const a = new SimRandom(5);
    const ids = Array.from({ length: 1000 }, () => a.uuid());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(1000);
    const b = new SimRandom(5);
    expect(Array.from({ length: 1000 }, () => b.uuid())).toEqual(ids);
  });
});

describe('SimRandom.split', () => {
  it('derives a child from the seed and the name only, not from what the parent drew', () => {
    const fresh = new SimRandom(9);
    const used = new SimRandom(9);
    draw(used, 1000);
    expect(draw(used.split('network'), 20)).toEqual(draw(fresh.split('network'), 20));
    expect(draw(used, 5)).toEqual(draw(new SimRandom(9), 1005).slice(1000));
  });

  it('gives distinct streams for distinct names, parents and depths', () => {
    const root = new SimRandom(9);
    const streams = [root, root.split('a'), root.split('b'), root.split('ab'), root.split('a').split('b'), new SimRandom(10).split('a'), root.split('')];
    const firsts = streams.map((stream) => draw(stream, 4).join(','));
    expect(new Set(firsts).size).toBe(streams.length);
  });

  it('keeps children independent: drawing from one, or adding another, changes no other', () => {
    const reference = draw(new SimRandom(21).split('link:a->b'), 50);
    const root = new SimRandom(21);
    const other = root.split('link:b->a');
    const target = root.split('link:a->b');
    const interleaved: number[] = [];
    for (let i = 0; i < 50; i += 1) {
      draw(other, 3);
      root.split(`new component ${i}`).next();
      interleaved.push(target.nextUint32());
    }
    expect(interleaved).toEqual(reference);
  });
});
