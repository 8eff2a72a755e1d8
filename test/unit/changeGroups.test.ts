/** How the publisher cuts the change log into messages: consecutive, one origin and table, bounded, a transaction's items alone. */
import { describe, expect, it } from 'vitest';
import { formGroups } from '../../src/bus/changeGroups.js';
import type { ChangeRecord } from '../../src/storage/store.js';

const change = (lsn: number, extra: Partial<ChangeRecord> = {}): ChangeRecord => ({
  lsn, table: 't', eventName: 'INSERT', keys: { pk: { S: `k${lsn}` } }, newImage: { pk: { S: `k${lsn}` }, v: { S: 'x'.repeat(50) } },
  version: { ts: lsn, counter: 0, region: 'r' }, origin: 'r', commitTimeMs: lsn, ...extra,
});
const lsnsOf = (groups: ReturnType<typeof formGroups>): number[][] => groups.map((g) => g.changes.map((c) => c.lsn));
const limits = { maxGroups: 100, maxChanges: 1000, maxBytes: 1 << 20 };

describe('change groups', () => {
  it('break where the origin or the table changes, and count the region\'s own changes', () => {
    const changes = [change(1), change(2), change(3, { origin: 'other' }), change(4, { table: 'u' }), change(5, { table: 'u' }), change(6)];
    const groups = formGroups('r', changes, 10, limits);
    expect(lsnsOf(groups)).toEqual([[1, 2], [3], [4, 5], [6]]);
    expect(groups.map((g) => g.ownCount)).toEqual([12, 12, 14, 15]);
  });

  it('put each item of a transaction in a message of its own', () => {
    const changes = [change(1), change(2, { transactionItem: true }), change(3, { transactionItem: true }), change(4), change(5)];
    expect(lsnsOf(formGroups('r', changes, 0, limits))).toEqual([[1], [2], [3], [4, 5]]);
  });

  it('end at the change and byte bounds (a change larger than the bound alone), and form at most maxGroups', () => {
    const changes = Array.from({ length: 10 }, (_, i) => change(i + 1));
    expect(lsnsOf(formGroups('r', changes, 0, { ...limits, maxChanges: 4 }))).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]);
    const one = formGroups('r', [change(1)], 0, limits)[0].bytes;
    expect(lsnsOf(formGroups('r', changes, 0, { ...limits, maxBytes: one * 3 }))).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10]]);
    expect(lsnsOf(formGroups('r', changes, 0, { ...limits, maxBytes: 10 }))).toHaveLength(10);
    expect(lsnsOf(formGroups('r', changes, 0, { ...limits, maxChanges: 3, maxGroups: 2 }))).toEqual([[1, 2, 3], [4, 5, 6]]);
  });
});
