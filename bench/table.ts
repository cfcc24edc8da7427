// The bench's one report, as Markdown so the README can carry it verbatim.
import type { DrainFigures } from './drain.ts';
import { median } from './stats.ts';
import type { UseCaseFigures } from './use-cases.ts';
import type { RouteFigures } from './warm.ts';

export interface FunctionFigures {
  function: string;
  clients: string[];
  /** The card's runtime libraries found in the bundle (bench/bundles.ts). */
  libraries?: string[];
  bundleKB: number;
  importMs: number;
  floor: { name: string; bundleKB: number; importMs: number };
  /** The floor plus the other libraries issue #12 requires that this function bundles (`adds`), timed beside it too. */
  requiredFloor?: { name: string; adds: string[]; bundleKB: number; importMs: number };
  /** What the bundle holds that its floor does not, KB by package (the project's own files as "own code"), largest first. */
  beyondFloorKB?: Record<string, number>;
  /** function / floor and function / baseline, for size and import time. */
  ratios: {
    sizeToFloor: number | null;
    importToFloor: number | null;
    sizeToBaseline: number;
    importToBaseline: number;
    sizeToRequiredFloor?: number;
    importToRequiredFloor?: number;
  };
}

export interface BenchReport {
  machine: { node: string; arch: string; cpus: number; platform: string };
  settings: { quick: boolean; importRuns: number; requestsPerRoute: number; tickets: number };
  references: {
    baseline: { bundleKB: number; importMs: number };
    /** A floor is the SDK clients a function uses plus the card's libraries used minimally (bench/bundles.ts). */
    floors: { name: string; contents?: string[]; bundleKB: number; importMs: number; importToBaseline?: number }[];
    /** Each floor plus the other libraries the issue requires that its functions bundle. */
    requiredFloors?: { name: string; contents?: string[]; bundleKB: number; importMs: number; importToBaseline?: number }[];
  };
  functions: FunctionFigures[];
  routes: RouteFigures[];
  useCases: UseCaseFigures[];
  drain: DrainFigures;
  /** Judged in the printed table only, never asserted in tests. */
  targets: { ratioToFloor: number; medianImportToBaseline: number; handlerCpuMedianMs: number };
  durationSeconds: number;
}

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const header = (cells: string[]) => [row(cells), row(cells.map(() => '---'))];
const fixed = (value: number | null | undefined, digits = 1) => (value === null || value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits));
const judged = (value: number | null, limit: number) => (value === null ? '-' : `${value.toFixed(2)}${value > limit ? ' ✗' : ''}`);
const sameCounts = (a: Record<string, number>, b: Record<string, number>) =>
  Object.keys({ ...a, ...b }).every((key) => a[key] === b[key]);
const round2 = (value: number) => Math.round(value * 100) / 100;
const counts = (calls: Record<string, number>) =>
  Object.entries(calls).map(([call, n]) => `${n} ${call}`).join(', ') || 'none';

const coldStartSummary = (report: BenchReport): string => {
  const { ratioToFloor, medianImportToBaseline } = report.targets;
  const within = report.functions.filter((f) => [f.ratios.sizeToFloor, f.ratios.importToFloor].every((r) => r !== null && r <= ratioToFloor));
  const middle = round2(median(report.functions.map((f) => f.ratios.importToBaseline)));
  const verdict = medianImportToBaseline === undefined ? '' : ` (target ${medianImportToBaseline.toFixed(2)})${middle > medianImportToBaseline ? ' ✗' : ''}`;
  return `${within.length} of ${report.functions.length} functions within ${ratioToFloor.toFixed(2)}x their floor in both size and import time; the median function imports in ${middle.toFixed(2)}x the baseline's time${verdict}.`;
};

/** The same functions against their required floor: what is left above it is the function's own code. */
const requiredFloorSection = (report: BenchReport): string[] => {
  const rated = report.functions.filter((f) => f.requiredFloor !== undefined && f.ratios.sizeToRequiredFloor !== undefined);
  if (rated.length === 0) return [];
  const { ratioToFloor } = report.targets;
  const within = (f: FunctionFigures, key: 'sizeToRequiredFloor' | 'importToRequiredFloor') => (f.ratios[key] ?? Infinity) <= ratioToFloor;
  const both = rated.filter((f) => within(f, 'sizeToRequiredFloor') && within(f, 'importToRequiredFloor')).length;
  const short = (name: string) => name.replace(/^@[^/]+\//, '').replace(/^http-/, '');
  return [
    "**Against the required floor**: each floor plus the other libraries issue #12 requires that the function bundles (Powertools Metrics through its middy middleware everywhere, the header normalizer on HTTP routes, security headers on pages, Powertools Batch in queue consumers), timed beside the function in the same rounds; what is left above it is the function's own code",
    '',
    ...header(['function', 'floor adds', 'floor KB', 'x floor', 'floor ms', 'x floor']),
    ...rated.map((f) =>
      row([
        f.function,
        f.requiredFloor!.adds.map(short).join(', ') || '-',
        fixed(f.requiredFloor!.bundleKB),
        judged(f.ratios.sizeToRequiredFloor ?? null, ratioToFloor),
        fixed(f.requiredFloor!.importMs),
        judged(f.ratios.importToRequiredFloor ?? null, ratioToFloor),
      ]),
    ),
    '',
    `${both} of ${rated.length} functions within ${ratioToFloor.toFixed(2)}x their required floor in both size and import time (${rated.filter((f) => within(f, 'sizeToRequiredFloor')).length} in size, ${rated.filter((f) => within(f, 'importToRequiredFloor')).length} in import time).`,
    '',
  ];
};

export const renderTable = (report: BenchReport): string => {
  const { ratioToFloor, medianImportToBaseline, handlerCpuMedianMs } = report.targets;
  const { baseline, floors } = report.references;
  const baselineTarget = medianImportToBaseline === undefined ? '' : `, ${medianImportToBaseline.toFixed(2)}x baseline import for the median function`;
  const lines = [
    `Node ${report.machine.node} ${report.machine.platform}/${report.machine.arch}, ${report.machine.cpus} CPUs; ` +
      `import: median of ${report.settings.importRuns} fresh processes minus an empty bundle, each function timed right beside its floor (floor ms is those paired runs; its x floor is the median of the paired ratios); warm: ${report.settings.requestsPerRoute} requests per route; ` +
      `ran in ${report.durationSeconds} s${report.settings.quick ? ' (--quick)' : ''}. ✗ marks a miss of the target (${ratioToFloor.toFixed(2)}x floor${baselineTarget}, ${handlerCpuMedianMs} ms handler CPU).`,
    '',
    `**Cold start per function** (baseline: ${fixed(baseline.bundleKB)} KB, ${fixed(baseline.importMs)} ms)`,
    '',
    ...header(['function', 'SDK clients', 'bundle KB', 'floor KB', 'x floor', 'x baseline', 'import ms', 'floor ms', 'x floor', 'x baseline']),
    ...report.functions.map((f) =>
      row([
        f.function,
        f.clients.join('+') || '-',
        fixed(f.bundleKB),
        fixed(f.floor.bundleKB),
        judged(f.ratios.sizeToFloor, ratioToFloor),
        fixed(f.ratios.sizeToBaseline, 2),
        fixed(f.importMs),
        fixed(f.floor.importMs),
        judged(f.ratios.importToFloor, ratioToFloor),
        fixed(f.ratios.importToBaseline, 2),
      ]),
    ),
    '',
    coldStartSummary(report),
    '',
    '**Beyond the floor**: what each function\'s bundle holds that its floor does not, KB (packages by name, the project\'s own files as one)',
    '',
    ...header(['function', `KB over ${ratioToFloor.toFixed(2)}x floor`, 'beyond the floor']),
    ...report.functions.map((f) => {
      const over = f.bundleKB - f.floor.bundleKB * ratioToFloor;
      const parts = Object.entries(f.beyondFloorKB ?? {}).map(([name, kb]) => `${name} ${kb.toFixed(1)}`);
      return row([f.function, over > 0 ? over.toFixed(1) : '-', parts.join(', ') || '-']);
    }),
    '',
    ...requiredFloorSection(report),
    '**Floors**: the SDK clients a function uses, with the commands it sends, plus the card\'s libraries used minimally (a `@middy/core` handler, `zod/mini` checking one 11-field body with an email, the Powertools Logger through its middy middleware)',
    '',
    ...header(['floor', 'holds', 'bundle KB', 'import ms', 'x baseline']),
    ...floors.map((f) => row([f.name.replace(/^floor-/, ''), f.contents?.join(', ') ?? '-', fixed(f.bundleKB), fixed(f.importMs), fixed(f.importToBaseline, 2)])),
    '',
    '**Warm requests per route** (ms per request, median / p99)',
    '',
    ...header(['route', 'requests', 'handler CPU', 'SDK CPU', 'AWS wait', 'AWS calls']),
    ...report.routes.map((r) =>
      r.skipped
        ? row([r.route, 0, r.skipped, '', '', ''])
        : row([
            r.route,
            r.requests,
            `${fixed(r.handlerCpuMs?.median, 2)}${(r.handlerCpuMs?.median ?? 0) > handlerCpuMedianMs ? ' ✗' : ''} / ${fixed(r.handlerCpuMs?.p99, 2)}`,
            `${fixed(r.sdkCpuMs?.median, 2)} / ${fixed(r.sdkCpuMs?.p99, 2)}`,
            `${fixed(r.awsWaitMs?.median, 2)} / ${fixed(r.awsWaitMs?.p99, 2)}`,
            r.awsCalls ?? '-',
          ]),
    ),
    '',
    '**AWS calls per use case**',
    '',
    ...header(['use case', 'AWS calls', 'made', 'minimum', 'why']),
    ...report.useCases.map((u) => row([u.name, counts(u.calls), counts(u.made), `${counts(u.minimum)}${sameCounts(u.made, u.minimum) ? '' : ' ✗'}`, u.why])),
    '',
    `**Ops function draining ${report.drain.tickets} queued tickets** (batches of 10, one instance)`,
    '',
    ...header(['tickets/s (handler time)', 'tickets/s (with SQS polling)', 'DynamoDB calls/ticket', 'SES calls/ticket', 'batches']),
    row([
      fixed(report.drain.ticketsPerSecond),
      fixed(report.drain.ticketsPerSecondWithPolling),
      fixed(report.drain.dynamoCallsPerTicket, 2),
      fixed(report.drain.sesCallsPerTicket, 2),
      report.drain.batches,
    ]),
  ];
  return `${lines.join('\n')}\n`;
};
