/** Set equality: members compared as sets, in time linear in their number (a 400 KB set took minutes). */
import { describe, expect, it } from 'vitest';
import { valuesEqual } from '../../src/core/values.js';

const b64 = (...bytes: number[]): string => Buffer.from(bytes).toString('base64');

describe('set equality', () => {
  it('ignores member order and compares numbers by value and binaries by bytes', () => {
    expect(valuesEqual({ SS: ['a', 'b', 'c'] }, { SS: ['c', 'a', 'b'] })).toBe(true);
    expect(valuesEqual({ SS: ['a', 'b'] }, { SS: ['a', 'c'] })).toBe(false);
    expect(valuesEqual({ SS: ['a', 'b'] }, { SS: ['a', 'b', 'c'] })).toBe(false);
    expect(valuesEqual({ NS: ['1', '2.50'] }, { NS: ['2.5', '1.0'] })).toBe(true);
    expect(valuesEqual({ NS: ['1', '2'] }, { NS: ['1', '3'] })).toBe(false);
    expect(valuesEqual({ BS: [b64(1, 2), b64(3)] }, { BS: [b64(3), b64(1, 2)] })).toBe(true);
    expect(valuesEqual({ BS: [b64(1, 2)] }, { BS: [b64(1, 3)] })).toBe(false);
    expect(valuesEqual({ SS: ['1'] }, { NS: ['1'] })).toBe(false);
  });

  it('compares sets of 20,000 members in well under a second each', () => {
    const numbers = Array.from({ length: 20_000 }, (_, i) => `2${String(i).padStart(37, '0')}`);
    const binaries = Array.from({ length: 20_000 }, (_, i) => b64(i & 0xff, (i >> 8) & 0xff, 7));
    const startedMs = Date.now();
    expect(valuesEqual({ NS: numbers }, { NS: [...numbers].reverse() })).toBe(true);
    expect(valuesEqual({ BS: binaries }, { BS: [...binaries].reverse() })).toBe(true);
    expect(valuesEqual({ SS: numbers }, { SS: [...numbers].reverse() })).toBe(true);
    expect(Date.now() - startedMs).toBeLessThan(5000);
  });
});
