import { describe, expect, it } from 'vitest';
import { durationText, explainConflict } from '../../src/core/conflictExplanation.js';

const write = (origin: string, ts: number, writtenAtMs: number, counter = 0) => ({ version: { ts, counter, region: origin }, origin, writtenAtMs });

describe('explainConflict', () => {
  it('says by how much the newer timestamp won', () => {
    expect(explainConflict({ reason: 'newer-timestamp', winner: write('eu-west-1', 10_348, 10_348), loser: write('us-east-1', 10_000, 10_000) }))
      .toBe("eu-west-1's write won: its timestamp was 348 ms newer");
  });

  it('names the counter when both writes share a millisecond', () => {
    expect(explainConflict({ reason: 'newer-timestamp', winner: write('a', 5, 5, 2), loser: write('b', 5, 4, 1) }))
      .toBe("a's write won: same millisecond, and its counter was higher (2 against 1)");
  });

  it('explains a full tie by the region name', () => {
    expect(explainConflict({ reason: 'tie-break-region', winner: write('us-east-1', 7, 7), loser: write('eu-west-1', 7, 9) }))
      .toBe('equal timestamps; us-east-1 wins, as the larger region name');
  });

  it('shows how far the losing clock was behind when a later write lost', () => {
    // The loser wrote 1672 ms later in true time, but its clock read 2 s behind the winner's.
    const winner = write('us-east-1', 100_000, 100_000);
    const loser = write('eu-west-1', 99_672, 101_672);
    expect(explainConflict({ reason: 'skew-inverted', winner, loser }))
      .toBe("skew-inverted: eu-west-1's losing write was made 1672 ms later in true time, but its clock was 2 s behind us-east-1's");
  });

  it('lists the attributes lost at attribute granularity, or the existence of the item', () => {
    const c = { reason: 'newer-timestamp' as const, winner: write('a', 20, 20), loser: write('b', 10, 10) };
    expect(explainConflict({ ...c, lostAttributes: ['color', 'size'] })).toBe("a's write won: its timestamp was 10 ms newer (attributes lost: color, size)");
    expect(explainConflict({ ...c, lostAttributes: [] })).toBe("a's write won: its timestamp was 10 ms newer (b's write lost on whether the item exists)");
  });
});

describe('durationText', () => {
  it('keeps ms under ten seconds and whole seconds as seconds', () => {
    expect([durationText(348), durationText(2000), durationText(9999), durationText(12_400), durationText(-3000)]).toEqual(['348 ms', '2 s', '9999 ms', '12.4 s', '-3 s']);
  });
});
