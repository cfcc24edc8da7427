// `npm run bench [-- --quick] [-- --out file.json]`: cold start, warm cost and AWS calls of every function,
// or `-- --sizes` for the bundle sizes alone (bench/sizes.ts),
// printed as one Markdown report and written as JSON (docs/results/bench.json for a full run, rendered into docs/performance.md; bench-results.json, git-ignored, for --quick).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { renderPerformance } from '../scripts/docs/render.ts';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildAll, repoRoot } from './bundles.ts';
import { drainTickets } from './drain.ts';
import { measureImports } from './import-time.ts';
import { startBenchStack } from './local-stack.ts';
import { installMeter } from './sdk-meter.ts';
import { beyondFloor, renderSizes } from './sizes.ts';
import { round } from './stats.ts';
import { renderTable, type BenchReport, type FunctionFigures } from './table.ts';
import { countUseCases } from './use-cases.ts';
import { measureRoutes } from './warm.ts';
import { World } from './world.ts';

const { values: args } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, sizes: { type: 'boolean', default: false }, out: { type: 'string' }, requests: { type: 'string' } },
});
const quick = args.quick ?? false;
const settings = quick
  ? { importRuns: 2, requestsPerRoute: 10, warmup: 2, tickets: 20 }
  : { importRuns: 41, requestsPerRoute: 500, warmup: 20, tickets: 1_000 };
// `--requests N` trades precision for time while working on one route.
if (args.requests) settings.requestsPerRoute = Number(args.requests);
// Issue #12: each function within 1.10x its floor, the median function within 0.60x the naive baseline's import.
const targets = { ratioToFloor: 1.1, medianImportToBaseline: 0.6, handlerCpuMedianMs: 2 };
const started = performance.now();
const progress = (line: string) => process.stderr.write(`bench ${Math.round((performance.now() - started) / 1000)}s: ${line}\n`);
const kb = (bytes: number) => round(bytes / 1024, 1);

const outDir = mkdtempSync(join(tmpdir(), 'portal-bench-bundles-'));
progress('bundling with infra/bundling.ts');
const built = await buildAll(outDir);
if (args.sizes) {
  rmSync(outDir, { recursive: true, force: true });
  process.stdout.write(renderSizes(built, targets.ratioToFloor));
  process.exit(0);
}
progress(`timing imports (${settings.importRuns} rounds, each function beside its floor and its required floor)`);
const floorOf = (name: string) => [...built.floors, ...built.requiredFloors].find((floor) => floor.name === name)!;
const imports = measureImports(
  built.functions.map((bundle) => ({ bundle, floors: [floorOf(bundle.floor), floorOf(bundle.requiredFloor)] })),
  [built.baseline],
  built.empty,
  settings.importRuns,
  outDir,
);
rmSync(outDir, { recursive: true, force: true });

const ms = (name: string) => round(imports.ms.get(name) ?? Number.NaN, 1);
const baseline = { bundleKB: kb(built.baseline.bytes), importMs: ms(built.baseline.name) };
const floorFigures = (floor: (typeof built.floors)[number]) => ({
  name: floor.name,
  contents: [...floor.clients, ...floor.libraries],
  bundleKB: kb(floor.bytes),
  importMs: ms(floor.name),
  importToBaseline: round(ms(floor.name) / baseline.importMs, 2),
});
const floors = built.floors.map(floorFigures);
const requiredFloors = built.requiredFloors.map(floorFigures);
const functionFigures: FunctionFigures[] = built.functions.map((bundle) => {
  const floor = floors.find((f) => f.name === bundle.floor)!;
  const required = requiredFloors.find((f) => f.name === bundle.requiredFloor)!;
  const [paired, pairedRequired] = imports.paired.get(bundle.name)!;
  const size = kb(bundle.bytes);
  const time = ms(bundle.name);
  return {
    function: bundle.name,
    clients: bundle.clients,
    libraries: bundle.libraries,
    bundleKB: size,
    importMs: time,
    // The floor's time as measured beside this function (see bench/import-time.ts).
    floor: { name: floor.name, bundleKB: floor.bundleKB, importMs: round(paired!.floorMs, 1) },
    requiredFloor: { name: required.name, adds: bundle.required, bundleKB: required.bundleKB, importMs: round(pairedRequired!.floorMs, 1) },
    beyondFloorKB: Object.fromEntries(beyondFloor(bundle, floorOf(bundle.floor)).map(([name, bytes]) => [name, kb(bytes)])),
    ratios: {
      sizeToFloor: round(size / floor.bundleKB, 2),
      importToFloor: round(paired!.ratio, 2),
      sizeToRequiredFloor: round(size / required.bundleKB, 2),
      importToRequiredFloor: round(pairedRequired!.ratio, 2),
      sizeToBaseline: round(size / baseline.bundleKB, 2),
      importToBaseline: round(time / baseline.importMs, 2),
    },
  };
});

progress('starting the local stack');
const stack = await startBenchStack();
installMeter();
// Handlers log every request at INFO, as deployed; the cost stays in the figures, the lines stay off the report.
const writeStdout = process.stdout.write.bind(process.stdout);
process.stdout.write = (() => true) as typeof process.stdout.write;
let report: BenchReport;
try {
  const suffix = Date.now().toString(36);
  const useCaseFigures = await countUseCases(new World(`bench-calls-${suffix}`), progress);
  const routeFigures = await measureRoutes(new World(`bench-warm-${suffix}`), settings.requestsPerRoute, settings.warmup, progress);
  progress(`draining ${settings.tickets} tickets`);
  const drain = await drainTickets(settings.tickets, `bench-drain-${suffix}`);
  report = {
    machine: { node: process.version, arch: process.arch, cpus: cpus().length, platform: process.platform },
    settings: { quick, importRuns: settings.importRuns, requestsPerRoute: settings.requestsPerRoute, tickets: settings.tickets },
    references: { baseline, floors, requiredFloors },
    functions: functionFigures,
    routes: routeFigures,
    useCases: useCaseFigures,
    drain,
    targets,
    durationSeconds: 0,
  };
} finally {
  process.stdout.write = writeStdout;
  await stack.stop();
}
report.durationSeconds = Math.round((performance.now() - started) / 1000);
// A full run is the documented one (docs/results, docs/performance.md); a quick or redirected run leaves docs alone.
const documented = args.out === undefined && !quick;
writeFileSync(args.out ?? join(repoRoot, documented ? 'docs/results/bench.json' : 'bench-results.json'), `${JSON.stringify(report, null, 2)}\n`);
if (documented) writeFileSync(join(repoRoot, 'docs', 'performance.md'), renderPerformance(report));
process.stdout.write(renderTable(report));
// Keep-alive sockets of the SDK clients would hold the process open for nothing.
process.exit(0);
