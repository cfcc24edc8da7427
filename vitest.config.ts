import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      // Pure rules and checks: starts nothing, needs no Java (`npx vitest run --project unit`).
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**'],
          // The local AWS stack starts once per run and every test file talks to it over HTTP.
          globalSetup: ['test/support/global-setup.ts'],
          // Stacks of a test's own print no EMF lines (the fuzz and race runs printed ~2,000, burying failures in the
          // output); a file that reads them turns them back on first thing (test/support/metrics-on.ts).
          env: { POWERTOOLS_METRICS_DISABLED: 'true' },
        },
      },
    ],
  },
});
