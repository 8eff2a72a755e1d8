import { describe, expect, it } from 'vitest';
import { TraceHash } from '../../src/sim/trace.js';

/** FNV-1a 64 over bytes, in BigInt: slow and obviously right. */
function referenceFnv(bytes: number[]): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash.toString(16).padStart(16, '0');
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
const float64 = (value: number): number[] => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value, true);
  return Array.from({ length: 8 }, (_, i) => view.getUint8(i));
};

describe('TraceHash', () => {
  it('starts at the FNV-1a 64 offset basis', () => {
    expect(new TraceHash().hex()).toBe('cbf29ce484222325');
  });

  it('is FNV-1a 64 over the bytes of each part and a part end', () => {
    expect(new TraceHash().add('foobar').hex()).toBe(referenceFnv([...ascii('foobar'), 0xff]));
    expect(new TraceHash().add('deliver', 1.5, 'a->b').hex()).toBe(
      referenceFnv([...ascii('deliver'), 0xff, 0xfe, ...float64(1.5), 0xff, ...ascii('a->b'), 0xff]),
    );
    expect(new TraceHash().add('é').hex()).toBe(referenceFnv([0x00, 0xe9, 0xff]));
  });

  it('depends on order and on where parts end, and accumulates over calls', () => {
    expect(new TraceHash().add('a', 'b').hex()).not.toBe(new TraceHash().add('b', 'a').hex());
    expect(new TraceHash().add('ab', 'c').hex()).not.toBe(new TraceHash().add('a', 'bc').hex());
    expect(new TraceHash().add(1).hex()).not.toBe(new TraceHash().add('1').hex());
    expect(new TraceHash().add('a').add(2).hex()).toBe(new TraceHash().add('a', 2).hex());
  });

  it('matches the reference over many random parts', () => {
    const hash = new TraceHash();
    const bytes: number[] = [];
    let seed = 12345;
    for (let i = 0; i < 500; i += 1) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const text = `part-${seed.toString(36)}`;
      hash.add(text);
      bytes.push(...ascii(text), 0xff);
    }
    expect(hash.hex()).toBe(referenceFnv(bytes));
  });
});
