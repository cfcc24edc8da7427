// Import time of a bundle in a fresh Node process: the part of a cold start that the code decides.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Bundle } from './bundles.ts';
import { median } from './stats.ts';

// Times only `import()` (parse, link, evaluate): node's own start-up and exit are outside the timer. The time
// goes last on stdout, after whatever the module logs at import (the Logger's debug sampling announces itself).
const harness = `const file = process.argv[2];
const started = performance.now();
await import(file);
process.stdout.write('\\nimport-ms ' + String(performance.now() - started));
process.exit(0);
`;

/** What Lambda sets before it imports a handler, so module-scope code sees what it would in AWS. */
export const lambdaEnv = (name: string): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_LAMBDA_FUNCTION_NAME: name,
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  // The function construct sets JSON logs, Lambda's level at DEBUG (for sampling) and the Logger's at INFO.
  AWS_LAMBDA_LOG_FORMAT: 'JSON',
  AWS_LAMBDA_LOG_LEVEL: 'DEBUG',
  LOG_LEVEL: 'INFO',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  SERVICE_NAME: 'portal-onboarding',
  TABLE_NAME: 'portal-onboarding',
  TICKET_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/ticket-requests',
  SENDER_EMAIL: 'portal@advisor-platform.test',
  OPS_EMAIL: 'ops@advisor-platform.test',
  PORTAL_URL: 'https://portal.advisor-platform.test',
  ACCOUNT_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:account-key',
  CURSOR_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:cursor-key',
});

const importOnce = (harnessFile: string, bundle: Bundle): number => {
  const run = spawnSync(process.execPath, [harnessFile, pathToFileURL(bundle.file).href], {
    env: lambdaEnv(bundle.name),
    encoding: 'utf8',
    timeout: 30_000,
  });
  const ms = Number(/\nimport-ms ([\d.e+-]+)$/.exec(run.stdout ?? '')?.[1]);
  if (run.status !== 0 || !Number.isFinite(ms)) throw new Error(`importing ${bundle.name} failed: ${run.stderr || run.stdout}`);
  return ms;
};

export interface ImportTimes {
  /** Median ms per bundle name, the empty bundle's median subtracted. */
  ms: Map<string, number>;
  /** Per function, per floor it was paired with (in the order given): the median ms of those floor samples, and the median of the paired ratios. */
  paired: Map<string, { floorMs: number; ratio: number }[]>;
}

/**
 * Import time in fresh processes, `runs` rounds. The shared machine is noisy in spells of seconds (one
 * bundle's samples spread from 48 to 84 ms), so each function is timed right beside its floors, in an
 * order that turns every round, and judged by the median of those paired ratios: a slow spell slows every
 * member of a group alike. References with no pair (the baseline) are timed once per round.
 */
export const measureImports = (
  groups: { bundle: Bundle; floors: Bundle[] }[],
  others: Bundle[],
  empty: Bundle,
  runs: number,
  outDir: string,
): ImportTimes => {
  const harnessFile = join(outDir, 'import-timer.mjs');
  writeFileSync(harnessFile, harness);
  const samples = new Map<string, number[]>();
  const sample = (bundle: Bundle) => {
    const ms = importOnce(harnessFile, bundle);
    if (!samples.has(bundle.name)) samples.set(bundle.name, []);
    samples.get(bundle.name)!.push(ms);
    return ms;
  };
  // Per function: one list of rounds, each the function's sample and its floors' in the order given.
  const groupSamples = new Map<string, { fn: number; floors: number[] }[]>(groups.map(({ bundle }) => [bundle.name, []]));
  importOnce(harnessFile, empty); // warms the file cache and node itself
  for (let round = 0; round < runs; round += 1) {
    for (const bundle of [empty, ...others]) sample(bundle);
    for (const { bundle, floors } of groups) {
      const members = [bundle, ...floors];
      const turn = round % members.length;
      const order = [...members.slice(turn), ...members.slice(0, turn)];
      const ms = new Map(order.map((member) => [member.name, sample(member)]));
      groupSamples.get(bundle.name)!.push({ fn: ms.get(bundle.name)!, floors: floors.map((floor) => ms.get(floor.name)!) });
    }
  }
  const emptyMs = median(samples.get(empty.name)!);
  const net = (ms: number) => Math.max(0, ms - emptyMs);
  const ms = new Map([...samples].map(([name, list]) => [name, net(median(list))]));
  const paired = new Map(
    groups.map(({ bundle, floors }) => {
      const rounds = groupSamples.get(bundle.name)!;
      return [
        bundle.name,
        floors.map((_, i) => ({
          floorMs: net(median(rounds.map((r) => r.floors[i]!))),
          ratio: median(rounds.map((r) => net(r.fn) / Math.max(net(r.floors[i]!), 0.1))),
        })),
      ] as const;
    }),
  );
  return { ms, paired };
};
