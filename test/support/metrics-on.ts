// Imported first by a test file that reads its stack's EMF lines. vitest.config.ts turns metrics off in the
// integration workers, and Powertools reads the variable once, when lib/metrics.ts builds its one instance; imports
// run in the order they are written, so as a file's first import this runs before anything imports that module.
delete process.env.POWERTOOLS_METRICS_DISABLED;
