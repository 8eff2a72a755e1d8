/** A key's timeline across regions: written, arrived (with lag), overwritten and lost, in time order. */
import { describe, expect, it } from 'vitest';
import { keyTimeline, type RegionKeyHistory } from '../../src/core/keyHistory.js';
import type { Item, Version } from '../../src/core/types.js';
import type { FeedChange } from '../../src/region/feedEvents.js';

const KEY: Item = { pk: { S: 'k' } };
const v = (region: string, ts: number, counter = 0): Version => ({ ts, counter, region });
const item = (value: string): Item => ({ ...KEY, v: { S: value } });

function change(region: string, atMs: number, version: Version, origin: string, image: Item | undefined, prevVersion?: Version): FeedChange {
  return {
    type: 'change', region, atMs, lsn: atMs, table: 't', eventName: image ? 'MODIFY' : 'REMOVE', keys: KEY,
    ...(image ? { newImage: image } : {}), version, ...(prevVersion ? { prevVersion } : {}), origin,
  };
}

describe('keyTimeline', () => {
  const a1 = v('us-east-1', 1000);
  const b1 = v('eu-west-1', 1100);
  // us-east-1 writes, then eu-west-1 writes concurrently (it had not seen a1) and wins; each learns the other's write.
  const regions: RegionKeyHistory[] = [
    {
      region: 'us-east-1',
      changes: [change('us-east-1', 1000, a1, 'us-east-1', item('a')), change('us-east-1', 1350, b1, 'eu-west-1', item('b'), a1)],
      conflicts: [{
        seq: 1, table: 't', keys: KEY, detectedIn: 'us-east-1', detectedAtMs: 1350, reason: 'newer-timestamp',
        winner: { version: b1, origin: 'eu-west-1', writtenAtMs: 1100 }, loser: { version: a1, origin: 'us-east-1', writtenAtMs: 1000 },
        explanation: "eu-west-1's write won: its timestamp was 100 ms newer",
      }],
    },
    {
      region: 'eu-west-1',
      changes: [change('eu-west-1', 1100, b1, 'eu-west-1', item('b'))],
      conflicts: [],
    },
  ];

  it('orders every entry by time, then region, with the replaced version before its replacement', () => {
    const timeline = keyTimeline(regions);
    expect(timeline.map((e) => [e.atMs, e.region, e.kind, e.version.region])).toEqual([
      [1000, 'us-east-1', 'written', 'us-east-1'],
      [1100, 'eu-west-1', 'written', 'eu-west-1'],
      [1350, 'us-east-1', 'overwritten', 'us-east-1'],
      [1350, 'us-east-1', 'arrived', 'eu-west-1'],
      [1350, 'us-east-1', 'lost', 'us-east-1'],
    ]);
  });

  it('gives an arrival its lag from the origin\'s write, and what replaced or beat a version', () => {
    const timeline = keyTimeline(regions);
    const arrived = timeline.find((e) => e.kind === 'arrived')!;
    expect(arrived).toMatchObject({ origin: 'eu-west-1', lagMs: 250, item: item('b') });
    expect(timeline.find((e) => e.kind === 'overwritten')).toMatchObject({ version: a1, origin: 'us-east-1', item: item('a'), by: b1 });
    expect(timeline.find((e) => e.kind === 'lost')).toMatchObject({
      version: a1, origin: 'us-east-1', item: item('a'), by: b1, explanation: "eu-west-1's write won: its timestamp was 100 ms newer",
    });
    expect(timeline.filter((e) => e.kind === 'written').every((e) => e.lagMs === undefined)).toBe(true);
  });

  it('leaves out the lag when the origin\'s history is not given, and knows no item it never saw', () => {
    const timeline = keyTimeline([regions[0]]);
    expect(timeline.find((e) => e.kind === 'arrived')!.lagMs).toBeUndefined();
    const older = v('ap-southeast-2', 500);
    const [overwritten] = keyTimeline([{ region: 'us-east-1', changes: [change('us-east-1', 900, a1, 'us-east-1', item('a'), older)], conflicts: [] }]);
    expect(overwritten).toMatchObject({ kind: 'overwritten', version: older, origin: 'ap-southeast-2', item: null, by: a1 });
  });

  it('reads a delete and an omitted image as no item', () => {
    const d = v('us-east-1', 2000);
    const big = { ...change('us-east-1', 3000, v('us-east-1', 3000), 'us-east-1', undefined, d), eventName: 'INSERT' as const, imageOmitted: true as const };
    const timeline = keyTimeline([{ region: 'us-east-1', changes: [change('us-east-1', 2000, d, 'us-east-1', undefined, a1), big], conflicts: [] }]);
    expect(timeline.filter((e) => e.kind === 'written').map((e) => e.item)).toEqual([null, null]);
  });
});
