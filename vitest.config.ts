import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The local AWS stack starts once per run and every test file talks to it over HTTP.
    globalSetup: ['test/support/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
