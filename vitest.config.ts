import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './test/sequencer.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most files wait on regions, nats-servers and timers rather than compute: two at a time keep
    // both cores busy (vitest's default on two cores is one).
    maxWorkers: 2,
    minWorkers: 1,
    sequence: { sequencer: LongestFirstSequencer },
    // The AWS SDK warns on every import that it will soon need Node 22; tests run on Node 20 by design.
    poolOptions: { forks: { execArgv: ['--no-warnings'] } },
  },
});
