import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The AWS SDK warns on every import that it will soon need Node 22; tests run on Node 20 by design.
    poolOptions: { forks: { execArgv: ['--no-warnings'] } },
  },
});
