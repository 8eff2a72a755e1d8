/** Seeds for randomized tests: printed on every run, pinned under CI, replayable with FC_SEED. */
import type { Parameters } from 'fast-check';

export function propertySeed(name: string): number {
  const seed = Number(process.env.FC_SEED ?? (process.env.CI ? 20261122 : Date.now() % 2_147_483_647));
  console.log(`[${name}] seed=${seed} (replay: FC_SEED=${seed} npx vitest run)`);
  return seed;
}

export function propertyParameters(name: string, numRuns = 200): Parameters<unknown> {
  return { seed: propertySeed(name), numRuns };
}
