// What Powertools Logger and Metrics cost one function: the same function bundled twice, as deployed and with
// lib/logger.ts, lib/metrics.ts and lib/observability.ts swapped for the hand-written ones they replaced
// (commit 39486b1), then imported in fresh processes, the two interleaved in one run.
// Wall time on a shared machine swings with its load, so the CPU time of the import is reported beside it.
// Usage: npx tsx bench/powertools-cost.ts [function-name] [rounds]
import { build, type Plugin } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { esbuildOptions, repoRoot } from './bundles.ts';
import { lambdaEnv } from './import-time.ts';
import { median } from './stats.ts';

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

const bundle = async (label: string, entry: string, plugins: Plugin[] = []): Promise<{ file: string; bytes: number }> => {
  await build({ ...esbuildOptions(work), entryPoints: [{ in: entry, out: label }], plugins });
  const file = join(work, `${label}.mjs`);
  return { file, bytes: statSync(file).size };
};

/** Times `import()` alone, in wall and CPU ms, in a process set up as Lambda sets it (the bench's variables). */
const harness = `const cpu = process.cpuUsage(); const started = performance.now();
await import(process.argv[2]);
const used = process.cpuUsage(cpu);
process.stdout.write('\\nimport-ms ' + (performance.now() - started) + ' ' + (used.user + used.system) / 1000);
process.exit(0);`;
const env = lambdaEnv(name);
const harnessFile = join(work, 'import-timer.mjs');
writeFileSync(harnessFile, harness);
const importOnce = (file: string): { wall: number; cpu: number } => {
  const run = spawnSync(process.execPath, [harnessFile, pathToFileURL(file).href], { env, encoding: 'utf8', timeout: 60_000 });
  const match = /\nimport-ms ([\d.e+-]+) ([\d.e+-]+)$/.exec(run.stdout ?? '');
  if (run.status !== 0 || !match) throw new Error(`importing ${file} failed: ${run.stderr || run.stdout}`);
  return { wall: Number(match[1]), cpu: Number(match[2]) };
};

writeHandWritten(join(work, 'hand-written'));
const entry = join(repoRoot, 'functions', `${name}.ts`);
const powertools = await bundle(`${name}-powertools`, entry);
const old = await bundle(`${name}-hand-written`, entry, [handWritten(join(work, 'hand-written'))]);
importOnce(old.file); // warms the file cache and node itself
const samples = { old: [] as { wall: number; cpu: number }[], powertools: [] as { wall: number; cpu: number }[] };
for (let round = 0; round < Number(rounds); round += 1) {
  // Alternating order, so a slow spell of the machine falls on both alike.
  const order = round % 2 === 0 ? (['old', 'powertools'] as const) : (['powertools', 'old'] as const);
  for (const which of order) samples[which].push(importOnce(which === 'old' ? old.file : powertools.file));
}
const ratio = (key: 'wall' | 'cpu') => median(samples.old.map((o, i) => samples.powertools[i]![key] / o[key]));
const ms = (list: { wall: number; cpu: number }[], key: 'wall' | 'cpu') => median(list.map((s) => s[key])).toFixed(1);
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
console.log(`${name}: ${rounds} fresh processes each, interleaved; median import() time, wall and CPU`);
console.log(`hand-written logger+metrics: ${kb(old.bytes)} KB, ${ms(samples.old, 'wall')} ms wall, ${ms(samples.old, 'cpu')} ms CPU`);
console.log(`Powertools Logger+Metrics:   ${kb(powertools.bytes)} KB, ${ms(samples.powertools, 'wall')} ms wall, ${ms(samples.powertools, 'cpu')} ms CPU`);
console.log(`difference: +${kb(powertools.bytes - old.bytes)} KB (+${((powertools.bytes / old.bytes - 1) * 100).toFixed(1)}%); paired ratios: wall x${ratio('wall').toFixed(3)}, CPU x${ratio('cpu').toFixed(3)}`);
rmSync(work, { recursive: true, force: true });
