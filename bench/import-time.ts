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
  /** Per function: the median ms of the floor samples taken beside it, and the median of the paired ratios. */
  paired: Map<string, { floorMs: number; ratio: number }>;
}

/**
 * Import time in fresh processes, `runs` rounds. The shared machine is noisy in spells of seconds (one
 * bundle's samples spread from 48 to 84 ms), so each function is timed right beside its floor, in
 * alternating order, and judged by the median of those paired ratios: a slow spell slows both halves of a
 * pair alike. References with no pair (the baseline) are timed once per round.
 */
export const measureImports = (
  pairs: { bundle: Bundle; floor: Bundle }[],
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
  const pairSamples = new Map<string, { fn: number; floor: number }[]>(pairs.map(({ bundle }) => [bundle.name, []]));
  importOnce(harnessFile, empty); // warms the file cache and node itself
  for (let round = 0; round < runs; round += 1) {
    for (const bundle of [empty, ...others]) sample(bundle);
    for (const { bundle, floor } of pairs) {
      const floorFirst = round % 2 === 0;
      const first = sample(floorFirst ? floor : bundle);
      const second = sample(floorFirst ? bundle : floor);
      pairSamples.get(bundle.name)!.push(floorFirst ? { fn: second, floor: first } : { fn: first, floor: second });
    }
  }
  const emptyMs = median(samples.get(empty.name)!);
  const net = (ms: number) => Math.max(0, ms - emptyMs);
  const ms = new Map([...samples].map(([name, list]) => [name, net(median(list))]));
  const paired = new Map(
    [...pairSamples].map(([name, list]) => [
      name,
      { floorMs: net(median(list.map((p) => p.floor))), ratio: median(list.map((p) => net(p.fn) / Math.max(net(p.floor), 0.1))) },
    ]),
  );
  return { ms, paired };
};
