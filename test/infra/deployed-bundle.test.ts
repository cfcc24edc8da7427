// A deployed bundle, built as CDK builds it (infra/bundling.ts), run the way Lambda runs it: a fresh Node process that
// imports index.mjs with only Lambda's environment, credentials included. It proves the bundling choices that only a
// bundle has, above all the credentials alias (infra/lambda-credentials.ts): the SDK's default chain is gone from the
// bundle, and the environment's keys are what the function signs with.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { esbuildOptions, repoRoot } from '../../bench/bundles.ts';
import { claimsOf, httpEvent } from '../../bench/events.ts';
import { localCredentials, localRegion } from '../../infra/local/provision.ts';
import { routes } from '../../infra/routes.ts';
import { envNames } from '../../lib/config.ts';
import { call, newFirm, tokenFor } from '../support/api.ts';

const run = promisify(execFile);
const outDir = mkdtempSync(join(tmpdir(), 'portal-deployed-bundle-'));
let inputs: string[] = [];

beforeAll(async () => {
  const result = await build({ ...esbuildOptions(outDir), entryPoints: [{ in: join(repoRoot, 'functions/get-household.ts'), out: 'get-household' }] });
  inputs = Object.keys(Object.values(result.metafile!.outputs)[0]!.inputs);
}, 60_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** Lambda's environment for get-household on the test stack; `keys: false` leaves the credentials out. */
const lambdaEnv = (keys: boolean): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  AWS_REGION: localRegion,
  AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoUrl'),
  [envNames.table]: inject('tableName'),
  LOG_LEVEL: 'ERROR',
  ...(keys ? { AWS_ACCESS_KEY_ID: localCredentials.accessKeyId, AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey } : {}),
});

/** Imports the bundle in a fresh process, as a cold start does, and hands its handler one event. */
const invokeBundle = async (event: unknown, env: Record<string, string>) => {
  const script = `const { handler } = await import(${JSON.stringify(join(outDir, 'get-household.mjs'))});
const reply = await handler(JSON.parse(process.argv[1]), { awsRequestId: 'r-1', functionName: 'get-household', getRemainingTimeInMillis: () => 10000 });
process.stdout.write(JSON.stringify(reply));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(event)], { env, timeout: 30_000 });
  return JSON.parse(stdout) as { statusCode: number; body: string };
};

describe('a deployed bundle', () => {
  it("holds the SDK's environment credential provider and none of the rest of its default chain", () => {
    expect(inputs).toContain('infra/lambda-credentials.ts');
    expect(inputs.some((input) => input.includes('@aws-sdk/credential-provider-env/'))).toBe(true);
    for (const gone of ['credential-provider-node', 'credential-provider-sso', 'credential-provider-ini', 'nested-clients', 'credential-provider-imds']) {
      expect(inputs.filter((input) => input.includes(gone))).toEqual([]);
    }
  });

  it("answers from the table with the credentials Lambda puts in its environment, and cannot without them", async () => {
    const firmId = newFirm();
    const created = await call('POST', '/households', { token: await tokenFor('advisor', firmId), body: { name: 'Bundled Household' } });
    expect(created.status).toBe(201);
    const { householdId } = created.body.household as { householdId: string };
    const route = routes.find((r) => r.function === 'get-household')!;
    const event = httpEvent(route, { claims: claimsOf('advisors', firmId), params: { householdId } });

    const reply = await invokeBundle(event, lambdaEnv(true));
    expect(reply.statusCode).toBe(200);
    expect(JSON.parse(reply.body).household).toMatchObject({ householdId, name: 'Bundled Household' });

    // Without the keys there is no other link to fall back on: the read fails (5xx), it is not answered some other way.
    const keyless = await invokeBundle(event, lambdaEnv(false));
    expect(keyless.statusCode).toBeGreaterThanOrEqual(500);
  }, 60_000);
});
