/**
 * A conflict in words: who won, and why, from the two writes' versions and true times. The one
 * wording used by /admin/conflicts, the region's event feed, the console and the scenario reports.
 */
import type { Conflict } from './lww.js';

export type ExplainableConflict = Pick<Conflict, 'winner' | 'loser' | 'reason' | 'lostAttributes'>;

/** "348 ms", "2 s", "12.4 s": milliseconds while they read easily, seconds past that. */
export function durationText(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= 1000 && abs % 1000 === 0) return `${ms / 1000} s`;
  if (abs < 10_000) return `${ms} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** How far a write's version timestamp is ahead of the true time it was made: its clock's skew then. */
const clockAheadMs = (write: ExplainableConflict['winner']): number => write.version.ts - write.writtenAtMs;

function why(c: ExplainableConflict): string {
  const winner = c.winner.origin;
  const loser = c.loser.origin;
  const newerByMs = c.winner.version.ts - c.loser.version.ts;
  switch (c.reason) {
    case 'tie-break-region':
      return `equal timestamps; ${winner} wins, as the larger region name`;
    case 'skew-inverted': {
      const laterMs = c.loser.writtenAtMs - c.winner.writtenAtMs;
      const behindMs = clockAheadMs(c.winner) - clockAheadMs(c.loser);
      return `skew-inverted: ${loser}'s losing write was made ${durationText(laterMs)} later in true time, but its clock was ${durationText(behindMs)} behind ${winner}'s`;
    }
    case 'newer-timestamp':
      if (newerByMs === 0) {
        return `${winner}'s write won: same millisecond, and its counter was higher (${c.winner.version.counter} against ${c.loser.version.counter})`;
      }
      return `${winner}'s write won: its timestamp was ${durationText(newerByMs)} newer`;
  }
}

/** One sentence, with what the loser lost when only some attributes were (attribute granularity). */
export function explainConflict(c: ExplainableConflict): string {
  const sentence = why(c);
  if (c.lostAttributes === undefined) return sentence;
  // No names: the attributes all agree, and only the item's existence came out as the winner wrote it.
  const lost = c.lostAttributes.length ? `attributes lost: ${c.lostAttributes.join(', ')}` : `${c.loser.origin}'s write lost on whether the item exists`;
  return `${sentence} (${lost})`;
}
