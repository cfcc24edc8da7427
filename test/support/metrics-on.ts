// Imported first by a test file that reads its stack's EMF lines: vitest.config.ts turns metrics off in the
// integration workers, and Powertools reads the variable once, when lib/metrics.ts builds its one instance, so this
// must run before anything imports that module (an import's body runs before the importing file's own imports).
delete process.env.POWERTOOLS_METRICS_DISABLED;
