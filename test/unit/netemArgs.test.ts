import { describe, expect, it } from 'vitest';
import { netemArgs, NetemSpecError } from '../../scripts/netns/faults.js';

describe('netem arguments of a kernel fault', () => {
  it('say each impairment in tc\'s words, jitter after the delay', () => {
    expect(netemArgs({ delayMs: 80, jitterMs: 20 })).toEqual(['delay', '80ms', '20ms']);
    expect(netemArgs({ delayMs: 10, lossPercent: 10, duplicatePercent: 5, reorderPercent: 25 }))
      .toEqual(['delay', '10ms', 'loss', '10%', 'duplicate', '5%', 'reorder', '25%']);
  });

  it('refuse a reorder without a delay (netem would reorder nothing) and a fault with no impairment', () => {
    expect(() => netemArgs({ reorderPercent: 25 })).toThrow(NetemSpecError);
    expect(() => netemArgs({})).toThrow(NetemSpecError);
  });
});
