import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/live/**', 'node_modules/**'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // Suites start real servers; two cores do not take many at once.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
