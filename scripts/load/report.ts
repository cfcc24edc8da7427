// Turns the tallies and the reconciliation into the one table the run prints, and the same as JSON.
import type { Outage } from './faults.ts';
import type { Check } from './reconcile.ts';
import type { OpTally, StageTally, Tally } from './traffic.ts';

export interface Report {
  mode: string;
  seed: number;
  startedAt: string;
  /** Wall time of the whole run, stack start to stop. */
  seconds: number;
  /** Time traffic was flowing (the stages), which throughput is measured over. */
  loadSeconds: number;
  settle: { settled: boolean; seconds: number };
  stages: Row[];
  ops: Row[];
  total: Row;
  outages: { service: string; seconds: number; restartSeconds: number; answers: Record<string, number> }[];
  opsInvocations?: { batches: number; crashed: number; failedRecords: number; crashRate: number };
  checks: Check[];
  /** Names of must-be-zero checks that were not zero; empty means the run passed. */
  failed: string[];
}

interface Row {
  name: string;
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: Record<string, number>;
}

const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

const row = (name: string, requests: number, seconds: number, latencies: number[], errors: Record<string, number>): Row => ({
  name,
  requests,
  perSecond: seconds > 0 ? requests / seconds : 0,
  p50Ms: percentile(latencies, 50),
  p99Ms: percentile(latencies, 99),
  errors,
});

const merge = (parts: Record<string, number>[]) =>
  parts.reduce<Record<string, number>>((all, part) => {
    for (const [label, n] of Object.entries(part)) all[label] = (all[label] ?? 0) + n;
    return all;
  }, {});

/** HTTP-level counts that must be zero: a 500 is a bug in any run; a 502/503 is one only without faults. */
const httpChecks = (tally: Tally, errors: Record<string, number>, faults: boolean): Check[] => {
  const fivexx = Object.entries(errors).filter(([label]) => label.startsWith('5'));
  const sum = (keep: (label: string) => boolean) => fivexx.filter(([label]) => keep(label)).reduce((n, [, c]) => n + c, 0);
  const status = (label: string) => label.split(' ')[0] ?? '';
  return [
    { name: '5xx answers (all)', count: sum(() => true), mustBeZero: !faults, examples: [] },
    { name: '500 internal_error', count: sum((l) => status(l) === '500'), mustBeZero: true, examples: [] },
    { name: '502/503 answers', count: sum((l) => ['502', '503'].includes(status(l))), mustBeZero: !faults, examples: [] },
    { name: '5xx other than 500/502/503', count: sum((l) => !['500', '502', '503'].includes(status(l))), mustBeZero: true, examples: [] },
    { name: '5xx without an error code', count: sum((l) => !l.includes(' ')), mustBeZero: true, examples: [] },
    { name: 'client timeouts (no answer in 30 s)', count: tally.timeouts, mustBeZero: true, examples: [] },
  ];
};

export const buildReport = (input: {
  mode: string;
  seed: number;
  startedAt: Date;
  seconds: number;
  tally: Tally;
  checks: Check[];
  settle: { settled: boolean; seconds: number };
  outages: Outage[];
  opsInvocations?: { batches: number; crashed: number; failedRecords: number; crashRate: number };
}): Report => {
  const { tally } = input;
  const loadStages = tally.stages.filter((s: StageTally) => s.label.startsWith('c='));
  const loadSeconds = loadStages.reduce((n, s) => n + s.seconds, 0);
  const stages = tally.stages.map((s) => row(s.label, s.requests, s.seconds, s.latenciesMs, s.non2xx ? { 'non-2xx': s.non2xx } : {}));
  const ops = (Object.entries(tally.ops) as [string, OpTally][]).map(([op, t]) => row(op, t.requests, loadSeconds, t.latenciesMs, t.errors));
  const errors = merge(ops.map((r) => r.errors));
  const all = Object.values(tally.ops).flatMap((t) => t.latenciesMs);
  const total = row('total', ops.reduce((n, r) => n + r.requests, 0), loadSeconds, all, errors);
  const faults = input.outages.length > 0;
  const clientSide: Check[] = [
    { name: 'POSTs retried with their key (502/503, in-progress 409)', count: tally.retries, mustBeZero: false, examples: [] },
    { name: 'answers replayed from an earlier attempt', count: tally.replays, mustBeZero: false, examples: [] },
    { name: 'requests cut off at a stage end (POSTs retried)', count: tally.abandoned, mustBeZero: false, examples: [] },
  ];
  const checks = [...httpChecks(tally, errors, faults), ...input.checks, ...clientSide];
  if (!input.settle.settled) checks.push({ name: 'did not settle before the deadline', count: 1, mustBeZero: true, examples: [] });
  const outages = (['sqs', 'ses', 'dynamodb'] as const)
    .map((service) => {
      const mine = input.outages.filter((o) => o.service === service);
      const seconds = mine.reduce((n, o) => n + ((o.upAt ?? o.downAt) - o.downAt) / 1000, 0);
      const restartSeconds = mine.reduce((n, o) => n + (o.restartMs ?? 0) / 1000, 0);
      return { service: `${service} down ×${mine.length}`, seconds, restartSeconds, answers: tally.duringOutage[service] ?? {} };
    })
    .filter((o) => faults && o.seconds > 0);
  return {
    mode: input.mode,
    seed: input.seed,
    startedAt: input.startedAt.toISOString(),
    seconds: input.seconds,
    loadSeconds,
    settle: input.settle,
    stages,
    ops,
    total,
    outages,
    ...(input.opsInvocations ? { opsInvocations: input.opsInvocations } : {}),
    checks,
    failed: checks.filter((c) => c.mustBeZero && c.count > 0).map((c) => c.name),
  };
};

const listed = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([label, n]) => `${label} ×${n}`)
    .join(', ');

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));

/** One Markdown table (aligned, so it reads the same in a terminal), then examples of any failed check. */
export const formatReport = (report: Report): string => {
  const lines: string[][] = [['what', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx answers / count']];
  const traffic = (label: string, r: Row) => [label, String(r.requests), r.perSecond.toFixed(1), ms(r.p50Ms), ms(r.p99Ms), listed(r.errors)];
  report.stages.filter((r) => r.requests > 0).forEach((r) => lines.push(traffic(r.name.startsWith('c=') ? `stage ${r.name}` : r.name, r)));
  report.ops.forEach((r) => lines.push(traffic(r.name, r)));
  lines.push(traffic('TOTAL', report.total));
  for (const outage of report.outages) {
    const what = `${outage.service}, ${outage.seconds.toFixed(1)} s (${outage.restartSeconds.toFixed(1)} s restarting)`;
    lines.push([what, '', '', '', '', `answers meanwhile: ${listed(outage.answers) || 'none'}`]);
  }
  if (report.opsInvocations) {
    const { batches, crashed, failedRecords, crashRate } = report.opsInvocations;
    const what = `ops function invocations (${Math.round(crashRate * 100)}% made to crash)`;
    lines.push([what, String(batches), '', '', '', `crashed ${crashed}, records retried ${failedRecords}`]);
  }
  for (const check of report.checks) {
    const verdict = check.mustBeZero ? (check.count === 0 ? '0 ✓' : `${check.count} ✗`) : String(check.count);
    lines.push([`${check.mustBeZero ? 'must be 0' : 'info'}: ${check.name}`, '', '', '', '', verdict]);
  }
  const widths = lines[0]!.map((_, c) => Math.max(...lines.map((l) => l[c]!.length)));
  const cell = (text: string, c: number) => (c > 0 && c < 5 ? text.padStart(widths[c]!) : text.padEnd(widths[c]!));
  const render = (l: string[]) => `| ${l.map(cell).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (c > 0 && c < 5 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  const heading =
    `load run (${report.mode}, seed ${report.seed}): ${report.total.requests} requests in ${report.loadSeconds.toFixed(1)} s of traffic, ` +
    `${report.seconds.toFixed(0)} s in all; settled ${report.settle.settled ? 'in' : 'NOT within'} ${report.settle.seconds.toFixed(1)} s`;
  const examples = report.checks
    .filter((c) => c.mustBeZero && c.count > 0 && c.examples.length > 0)
    .map((c) => `  ${c.name}: ${c.examples.join('; ')}`);
  const verdict = report.failed.length === 0 ? 'PASS: every must-be-zero count is zero' : `FAIL: ${report.failed.join(', ')}`;
  return [heading, '', render(lines[0]!), rule, ...lines.slice(1).map(render), '', ...examples, verdict, ''].join('\n');
};
