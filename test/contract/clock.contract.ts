/** The Clock seam's contract: both the system clock and the manual clock must pass it. */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock/clock.js';

export function runClockContract(name: string, make: () => Clock, wait: (clock: Clock, ms: number) => Promise<void>): void {
  describe(`Clock contract: ${name}`, () => {
    it('applies skew to region time but not to true time', () => {
      const clock = make();
      clock.skewMs = 60_000;
      const skewed = clock.nowMs() - clock.trueNowMs();
      expect(skewed).toBeGreaterThanOrEqual(59_990);
      expect(skewed).toBeLessThanOrEqual(60_010);
    });

    it('runs scheduled work after its delay, in order, and not once cancelled', async () => {
      const clock = make();
      const fired: string[] = [];
      clock.schedule(() => fired.push('late'), 40);
      clock.schedule(() => fired.push('early'), 10);
      const cancel = clock.schedule(() => fired.push('cancelled'), 20);
      cancel();
      await wait(clock, 5);
      expect(fired).toEqual([]);
      await wait(clock, 60);
      expect(fired).toEqual(['early', 'late']);
    });
  });
}
