// npm run load [-- --faults] [--quick] [--out FILE] [--seed N] [--dump FILE]
// Starts a private local stack, sends the mix at rising concurrency, lets the system settle, reconciles
// the table, the mail store and the ops tickets against every answer, prints one table, and exits 1 if
// any must-be-zero count is not zero.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { signLocalToken } from '../../infra/local/jwt.ts';
import { signingKeys } from '../../infra/local/keys.ts';
import { startOnFreePorts, type LocalStack } from '../../infra/local/stack.ts';
import { startFaults, withoutFaults } from './faults.ts';
import { Mix, type Firm } from './mix.ts';
import { observe, reconcile, settle } from './reconcile.ts';
import { buildReport, formatReport, type Report } from './report.ts';
import { drainRetries, newTally, runStage, watchInviteLinks, type StagePlan } from './traffic.ts';

export interface LoadOptions {
  faults: boolean;
  quick: boolean;
  seed: number;
  /** Writes what reconciliation saw (ledger, table items, mail) to this file, to dig into a failure. */
  dump?: string | undefined;
  /** Progress lines go here; the table is returned. */
  log?: (line: string) => void;
}

const stagesFor = (quick: boolean, faults: boolean): StagePlan[] =>
  faults
    ? // With faults a stage is mostly bounded by time: outages make answers fast (503) or slow, not fewer.
      stagesFor(quick, false).map((plan) => ({ ...plan, amount: plan.amount * 4, maxSeconds: quick ? 10 : 20 }))
    : quick
    ? [
        { connections: 1, amount: 40, maxSeconds: 20 },
        { connections: 4, amount: 70, maxSeconds: 20 },
      ]
    : [
        { connections: 1, amount: 200, maxSeconds: 45 },
        { connections: 8, amount: 800, maxSeconds: 45 },
        { connections: 32, amount: 1_500, maxSeconds: 45 },
        { connections: 64, amount: 2_000, maxSeconds: 45 },
      ];

/** Each service down 2.5 s, 4 s apart, one at a time, in a loop while traffic flows; a fifth of ops invocations crash. */
const faultPlan = { downMs: 2_500, gapMs: 4_000, opsFailureRate: 0.2 };

/** Small deterministic PRNG (mulberry32), so a run can be repeated with --seed. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

const firmsFor = async (runId: string): Promise<Firm[]> =>
  Promise.all(
    ['a', 'b'].map(async (letter) => {
      const firmId = `load-${letter}-${runId}`;
      const firmName = `Load Wealth ${letter.toUpperCase()}`;
      return {
        firmId,
        advisor: await signLocalToken({ role: 'advisor', firmId, firmName, sub: `advisor-${letter}`, email: `advisor-${letter}@load.test` }),
        ops: await signLocalToken({ role: 'ops', firmId, sub: `ops-${letter}` }),
      };
    }),
  );

/** Runs the whole load test against a stack of its own, stopped and deleted before it returns. */
export const runLoad = async (options: LoadOptions, onStack?: (stop: () => Promise<void>) => void): Promise<Report> => {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const startedAt = new Date();
  const started = performance.now();
  // Handler logs would drown the table; errors (a 500's stack) still show.
  process.env.LOG_LEVEL ??= 'ERROR';
  await signingKeys();
  const dataDir = mkdtempSync(join(tmpdir(), 'portal-load-'));
  let stack: LocalStack | undefined;
  const stop = async () => {
    await stack?.stop().catch(() => undefined);
    stack = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  };
  onStack?.(stop);
  try {
    stack = await startOnFreePorts({
      dataDir,
      // Short, so the queue's retries and the outbox sweeper finish within the run.
      visibilityTimeoutSeconds: 2,
      outboxGraceSeconds: 3,
      scheduleEveryMs: 1_000,
      // Every virtual client shares 127.0.0.1; the link-guessing throttle is tested elsewhere.
      throttle: { deadLinks: 1_000_000, wrongNumbers: 1_000_000 },
    });
    const url = stack.apiUrl.replace('localhost', '127.0.0.1');
    const runId = randomBytes(3).toString('hex');
    const links = watchInviteLinks(stack.mailUrl);
    const mix = new Mix(await firmsFor(runId), links.tokenFor, runId, prng(options.seed));
    const tally = newTally();
    log(`load: stack up in ${((performance.now() - started) / 1000).toFixed(1)} s at ${url}; run ${runId}, seed ${options.seed}`);

    const faults = options.faults ? startFaults(stack, faultPlan) : withoutFaults();
    for (const plan of stagesFor(options.quick, options.faults)) {
      const stage = await runStage(url, mix, tally, plan, faults);
      log(`load: ${stage.label}: ${stage.requests} answers in ${stage.seconds.toFixed(1)} s, ${stage.non2xx} non-2xx`);
    }
    await faults.stop();
    const drained = await drainRetries(url, mix, tally, faults, Date.now() + 60_000);
    log(`load: traffic done; ${drained.requests} retries sent afterwards; settling...`);
    await links.stop();

    const settled = await settle(stack, Date.now() + (options.faults ? 120_000 : 60_000));
    log(`load: ${settled.settled ? 'settled' : 'did NOT settle'} after ${settled.seconds.toFixed(1)} s; reconciling...`);
    const observed = await observe(stack, mix.ledger);
    if (options.dump) writeFileSync(options.dump, JSON.stringify({ ...observed, outages: faults.outages }, null, 1));
    const checks = reconcile(observed);
    const opsInvocations = options.faults ? { ...stack.opsInvocations, crashRate: faultPlan.opsFailureRate } : undefined;
    return buildReport({
      mode: [options.quick ? 'quick' : 'full', options.faults ? 'with faults' : 'no faults'].join(', '),
      seed: options.seed,
      startedAt,
      seconds: (performance.now() - started) / 1000,
      tally,
      checks,
      settle: settled,
      outages: faults.outages,
      ...(opsInvocations ? { opsInvocations } : {}),
    });
  } finally {
    await stop();
  }
};

const main = async () => {
  const { values } = parseArgs({
    options: {
      faults: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      out: { type: 'string', default: 'load-results.json' },
      seed: { type: 'string' },
      dump: { type: 'string' },
    },
  });
  const seed = values.seed === undefined ? Math.floor(Math.random() * 1_000_000) : Number(values.seed);
  let stop: (() => Promise<void>) | undefined;
  // Ctrl-C or a kill still stops the services and deletes the temporary data.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void (stop?.() ?? Promise.resolve()).finally(() => process.exit(130)));
  }
  // A hard ceiling, whatever hangs: the stages, drain and settle each have their own, shorter ones.
  setTimeout(() => {
    process.stderr.write('load: gave up after 10 minutes\n');
    void (stop?.() ?? Promise.resolve()).finally(() => process.exit(2));
  }, 600_000).unref();

  const report = await runLoad({ faults: values.faults, quick: values.quick, seed, dump: values.dump }, (s) => (stop = s));
  const out = resolve(values.out);
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(formatReport(report));
  process.stdout.write(`(written to ${out})\n`);
  process.exit(report.failed.length === 0 ? 0 : 1);
};

// Run as a script (npm run load), not when imported by a test.
if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main().catch((error: unknown) => {
    process.stderr.write(`load: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(2);
  });
}
