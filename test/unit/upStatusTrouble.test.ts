/** `globaltables up`'s status line when something is wrong: a stuck publisher, a source fallen behind. */
import { describe, expect, it } from 'vitest';
import { formatRegionStatus, type RegionStatusWire } from '../../src/cli/upStatus.js';

const source = (name: string, current: number | undefined, pending: number): RegionStatusWire['replication'][number] => ({
  source: name, connected: true, lagMs: { p50: 2, p99: 3, max: 4, ...(current === undefined ? {} : { current }) }, pending, applied: 0, conflicts: 0,
});
const line = (status: Partial<RegionStatusWire>): string => formatRegionStatus('us-east-1', { kind: 'ok', status: { region: 'us-east-1', tables: 1, items: 12, replication: [], ...status } });

describe('status line trouble', () => {
  it('says when the region\'s publisher is stuck, and at which change', () => {
    expect(line({ publisher: { stuck: { lsn: 42, reason: 'payload-too-large' } } })).toBe('us-east-1: 12 items · lag p99 — · pending 0 · publisher STUCK at lsn 42 (payload-too-large)');
    expect(line({ publisher: { stuck: null } })).toBe('us-east-1: 12 items · lag p99 — · pending 0');
    expect(line({ publisher: null })).toBe('us-east-1: 12 items · lag p99 — · pending 0');
  });

  it('names the source the region is furthest behind, from a second on', () => {
    expect(line({ replication: [source('eu-west-1', 999, 1), source('ap-southeast-2', 0, 0)] })).toBe('us-east-1: 12 items · lag p99 3 ms · pending 1');
    expect(line({ replication: [source('eu-west-1', 1500, 1), source('ap-southeast-2', 12_400, 7)] })).toBe('us-east-1: 12 items · lag p99 3 ms · pending 8 · behind ap-southeast-2 by 12 s');
  });

  it('reads regions that predate both', () => {
    expect(line({ replication: [source('eu-west-1', undefined, 0)] })).toBe('us-east-1: 12 items · lag p99 3 ms · pending 0');
  });
});
