// What Powertools Logger and Metrics cost one function: the same function bundled twice, as deployed and with
// lib/logger.ts, lib/metrics.ts and lib/observability.ts swapped for the hand-written ones they replaced
// (commit 39486b1), then imported in fresh processes, the two interleaved in one run.
// Usage: npx tsx bench/powertools-cost.ts [function-name] [rounds]
import { build, type Plugin } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundling } from '../infra/bundling.ts';
import type { Bundle } from './bundles.ts';
import { measureImports } from './import-time.ts';

const repoRoot = new URL('..', import.meta.url).pathname;
const [name = 'send-invitation', rounds = '21'] = process.argv.slice(2);
const handWrittenCommit = '39486b1';
const work = mkdtempSync(join(tmpdir(), 'powertools-cost-'));

/** The hand-written logger and metrics, plus what today's callers import from them, spelled the old way. */
const writeHandWritten = (dir: string) => {
  mkdirSync(dir, { recursive: true });
  const old = (file: string) => execFileSync('git', ['show', `${handWrittenCommit}:lib/${file}`], { cwd: repoRoot, encoding: 'utf8' });
  writeFileSync(join(dir, 'logger.ts'), old('logger.ts'));
  const businessMetrics = /export const businessMetrics = \{[\s\S]*?\} as const;/.exec(readFileSync(join(repoRoot, 'lib/metrics.ts'), 'utf8'))![0];
  writeFileSync(
    join(dir, 'metrics.ts'),
    `${old('metrics.ts')}\n${businessMetrics}\nexport const recordMetric = (name: string, value = 1, unit: 'Count' | 'Seconds' = 'Count') => emitMetrics({ [name]: { value, unit } });\n`,
  );
  writeFileSync(
    join(dir, 'observability.ts'),
    `import { startInvocation } from './logger.ts';\nexport const observability = () => [{ before: ({ context }: { context: never }) => startInvocation(context) }];\n`,
  );
};

/** Sends imports of the three modules (relative or through #lib/) to the hand-written copies. */
const handWritten = (dir: string): Plugin => ({
  name: 'hand-written-observability',
  setup(esbuild) {
    esbuild.onResolve({ filter: /(^|\/)(logger|metrics|observability)\.ts$/ }, (args) => {
      const target = args.path.startsWith('#lib/') ? join(repoRoot, 'lib', args.path.slice(5)) : resolve(args.resolveDir, args.path);
      const file = /\/lib\/(logger|metrics|observability)\.ts$/.exec(target)?.[1];
      return file === undefined || args.importer.startsWith(dir) ? undefined : { path: join(dir, `${file}.ts`) };
    });
  },
});

const bundle = async (label: string, entry: string, plugins: Plugin[] = []): Promise<Bundle> => {
  const outfile = join(work, `${label}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: bundling.format,
    target: bundling.target,
    platform: bundling.platform,
    minify: bundling.minify,
    sourcemap: bundling.sourceMap,
    external: [...bundling.externalModules],
    banner: { js: bundling.banner },
    mainFields: [...bundling.mainFields],
    absWorkingDir: repoRoot,
    logLevel: 'error',
    plugins,
  });
  return { name: label, file: outfile, bytes: statSync(outfile).size, clients: [], libraries: [] };
};

writeHandWritten(join(work, 'hand-written'));
const entry = join(repoRoot, 'functions', `${name}.ts`);
const powertools = await bundle(`${name}-powertools`, entry);
const old = await bundle(`${name}-hand-written`, entry, [handWritten(join(work, 'hand-written'))]);
writeFileSync(join(work, 'empty.ts'), 'export {};');
const empty = await bundle('empty', join(work, 'empty.ts'));
const times = measureImports([{ bundle: powertools, floor: old }], [], empty, Number(rounds), work);
const pair = times.paired.get(powertools.name)!;
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
console.log(`${name}, ${rounds} fresh processes each, interleaved; import ms net of an empty module`);
console.log(`hand-written logger+metrics: ${kb(old.bytes)} KB, median import ${pair.floorMs.toFixed(1)} ms`);
console.log(`Powertools Logger+Metrics:   ${kb(powertools.bytes)} KB, median import ${times.ms.get(powertools.name)!.toFixed(1)} ms`);
console.log(`difference: +${kb(powertools.bytes - old.bytes)} KB (${((powertools.bytes / old.bytes - 1) * 100).toFixed(1)}%), import time x${pair.ratio.toFixed(3)} (median of paired ratios)`);
rmSync(work, { recursive: true, force: true });
