// The hosted sign-in's code exchange, against a stand-in pool (a real HTTP server issuing jose-signed tokens, with
// its JWKS): the console's functions are invoked as API Gateway would, configured as CDK configures them in AWS.
// Real Cognito is not exercised here; what the stand-in checks (PKCE S256, single-use codes) Cognito checks too.
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { lambdaContext } from '../../infra/local/lambda-context.ts';
import { documents } from '../../lib/adapters/dynamodb/client.ts';
import { envNames } from '../../lib/config.ts';
import { hashToken } from '../../lib/domain/token.ts';
import { startStandInPool, type StandInPool } from './stand-in-pool.ts';

const portal = 'https://portal.example.com';
let pool: StandInPool;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  pool = await startStandInPool();
  const settings = { [envNames.consoleAuthDomain]: pool.url, [envNames.consoleClientId]: pool.clientId, [envNames.consoleIssuer]: pool.url, [envNames.portalUrl]: portal };
  for (const [name, value] of Object.entries(settings)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
});
afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await pool?.stop();
});

type Result = { statusCode: number; headers: Record<string, string>; cookies?: string[]; body: string };
type Handler = (event: unknown, context: unknown) => Promise<Result>;
const signInHandler = async () => (await import('../../functions/ops-console-sign-in.ts')).handler as unknown as Handler;
const pagesHandler = async () => (await import('../../functions/ops-console.ts')).handler as unknown as Handler;

/** A payload 2.0 event as API Gateway builds it for the console's routes. */
const invoke = async (handler: Handler, routeKey: string, options: { query?: Record<string, string>; cookies?: string[]; headers?: Record<string, string>; body?: string } = {}) => {
  const [method, path] = routeKey.split(' ') as [string, string];
  const event = {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query).toString(),
    ...(options.cookies ? { cookies: options.cookies } : {}),
    headers: { host: 'portal.example.com', ...options.headers },
    ...(options.query ? { queryStringParameters: options.query } : {}),
    requestContext: { http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'test' }, requestId: randomUUID(), routeKey, stage: '$default', timeEpoch: Date.now() },
    ...(options.body === undefined ? {} : { body: options.body }),
    isBase64Encoded: false,
  };
  return handler(event, lambdaContext('ops-console-sign-in', randomUUID()));
};

const formPost = { origin: portal, 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' };
const cookieIn = (result: Result, name: string) => result.cookies?.find((cookie) => cookie.startsWith(`${name}=`))?.split(';')[0];

/** The browser's part up to the callback: the console's button, the hosted page (which signs the pool's user in), back. */
const startAndAuthorize = async (next = '/ops/console') => {
  const started = await invoke(await signInHandler(), 'POST /ops/console/sign-in', { headers: formPost, body: new URLSearchParams({ next }).toString() });
  const cookie = cookieIn(started, '__Host-ops_sign_in')!;
  const authorized = await fetch(started.headers.location!, { redirect: 'manual' });
  const back = new URL(authorized.headers.get('location')!);
  return { started, cookie, query: Object.fromEntries(back.searchParams) as Record<string, string>, back };
};

const callback = async (cookie: string | undefined, query: Record<string, string>) =>
  invoke(await signInHandler(), 'GET /ops/console/callback', { query, ...(cookie ? { cookies: [cookie] } : {}) });

describe('the hosted sign-in (stand-in pool)', () => {
  it('sends the browser to the hosted page with PKCE S256, state and nonce, remembering only hashes and the verifier server-side', async () => {
    const { started, cookie, back } = await startAndAuthorize();
    expect(started.statusCode).toBe(303);
    expect(started.cookies).toEqual([expect.stringMatching(/^__Host-ops_sign_in=[A-Za-z0-9_-]{43}; Path=\/; Secure; HttpOnly; SameSite=Lax; Max-Age=600$/)]);
    const authorize = new URL(started.headers.location!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${pool.url}/oauth2/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: pool.clientId,
      redirect_uri: `${portal}/ops/console/callback`,
      scope: 'openid email',
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const id = cookie.split('=')[1]!;
    const pending = (await documents.send(new GetCommand({ TableName: inject('tableName'), Key: { pk: `CONSOLE_SIGN_IN#${hashToken(id)}`, sk: 'SIGN_IN' } }))).Item;
    expect(pending).toMatchObject({ state: authorize.searchParams.get('state'), nonce: authorize.searchParams.get('nonce'), next: '/ops/console' });
    expect(JSON.stringify(pending)).not.toContain(id);
    expect(started.headers.location).not.toContain(pending!.verifier);
    expect(back.pathname).toBe('/ops/console/callback');
  });

  it('exchanges the code once for a session of an ops member, and the session opens the console', async () => {
    pool.user = { sub: 'ops-member-1', email: 'ops.member@platform.test', groups: ['ops'], firmId: 'firm-standin' };
    const { cookie, query } = await startAndAuthorize(`/ops/console/tickets/${randomUUID()}`);
    const signedIn = await callback(cookie, query);
    expect(signedIn.statusCode).toBe(303);
    expect(signedIn.headers.location).toMatch(/^\/ops\/console\/tickets\/[0-9a-f-]{36}$/);
    expect(signedIn.cookies).toEqual([
      expect.stringMatching(/^__Host-ops_session=[A-Za-z0-9_-]{43}; Path=\/; Secure; HttpOnly; SameSite=Lax; Max-Age=43200$/),
      '__Host-ops_sign_in=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0',
    ]);
    const queue = await invoke(await pagesHandler(), 'GET /ops/console', { cookies: [cookieIn(signedIn, '__Host-ops_session')!] });
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain('ops.member@platform.test');
    // Forms on the page may lead to the hosted sign-in (sign-out's redirect), and nowhere else.
    expect(queue.headers['content-security-policy']).toContain(`form-action 'self' ${pool.url};`);

    const replayed = await callback(cookie, query);
    expect(replayed.statusCode).toBe(401);
    expect(replayed.body).toContain('This sign-in has expired or was already used');
    expect(replayed.cookies).toEqual(['__Host-ops_sign_in=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0']);
  });

  it('refuses a callback without its cookie, with another state, or that the pool refused', async () => {
    const noCookie = await startAndAuthorize();
    expect((await callback(undefined, noCookie.query)).statusCode).toBe(401);
    const otherState = await startAndAuthorize();
    expect((await callback(otherState.cookie, { ...otherState.query, state: 'x'.repeat(43) })).statusCode).toBe(401);
    // The state was spent on the wrong try: the right one is refused too, and no code is exchanged.
    const before = pool.tokenRequests;
    expect((await callback(otherState.cookie, otherState.query)).statusCode).toBe(401);
    expect(pool.tokenRequests).toBe(before);
    const cancelled = await startAndAuthorize();
    const refusal = await callback(cancelled.cookie, { state: cancelled.query.state!, error: 'access_denied' });
    expect(refusal.statusCode).toBe(401);
    expect(refusal.body).toContain('Sign-in was cancelled or refused');
  });

  it('refuses a code whose verifier does not match its challenge', async () => {
    pool.breakChallenges = true;
    try {
      const { cookie, query } = await startAndAuthorize();
      const answer = await callback(cookie, query);
      expect(answer.statusCode).toBe(401);
      expect(answer.cookies?.some((c) => c.startsWith('__Host-ops_session='))).toBe(false);
    } finally {
      pool.breakChallenges = false;
    }
  });

  it('refuses an ID token for another audience, from another issuer, not an ID token, with another nonce, expired or signed by another key', async () => {
    const otherKey = (await generateKeyPair('RS256')).privateKey;
    const cases: [string, StandInPool['tamper']][] = [
      ['audience', { claims: { aud: 'someone-else' } }],
      ['issuer', { claims: { iss: 'https://cognito-idp.us-east-1.amazonaws.com/another-pool' } }],
      ['token use', { claims: { token_use: 'access' } }],
      ['nonce', { claims: { nonce: 'replayed-nonce' } }],
      ['expiry', { expiresIn: '-1m' }],
      ['signature', { key: otherKey }],
    ];
    for (const [what, tamper] of cases) {
      pool.tamper = tamper;
      const { cookie, query } = await startAndAuthorize();
      const answer = await callback(cookie, query);
      expect(answer.statusCode, what).toBe(401);
      expect(answer.body, what).toContain('could not be verified');
      expect(answer.cookies?.some((c) => c.startsWith('__Host-ops_session=')), what).toBe(false);
    }
    pool.tamper = {};
  });

  it('refuses a member of the pool who is not in the ops group', async () => {
    pool.user = { sub: 'advisor-only', email: 'advisor@firm.test', groups: ['advisors'] };
    const { cookie, query } = await startAndAuthorize();
    const answer = await callback(cookie, query);
    expect(answer.statusCode).toBe(403);
    expect(answer.body).toContain('not in the ops group');
    expect(answer.cookies?.some((c) => c.startsWith('__Host-ops_session='))).toBe(false);
    pool.user = { sub: 'ops-standin-user', email: 'ops.standin@platform.test', groups: ['ops'] };
  });

  it('answers 503 when the pool cannot be reached, and starts no sign-in from another origin', async () => {
    pool.tokenStatus = 500;
    const { cookie, query } = await startAndAuthorize();
    expect((await callback(cookie, query)).statusCode).toBe(503);
    pool.tokenStatus = undefined;
    const forged = await invoke(await signInHandler(), 'POST /ops/console/sign-in', { headers: { ...formPost, origin: 'https://evil.example' }, body: 'next=%2Fops%2Fconsole' });
    expect(forged.statusCode).toBe(403);
    expect(forged.cookies).toBeUndefined();
  });

  it('signs out of the console and then of the hosted sign-in', async () => {
    pool.user = { sub: 'ops-leaving', email: 'ops.leaving@platform.test', groups: ['ops'] };
    const { cookie, query } = await startAndAuthorize();
    const session = cookieIn(await callback(cookie, query), '__Host-ops_session')!;
    const page = await invoke(await pagesHandler(), 'GET /ops/console', { cookies: [session] });
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const out = await invoke(await signInHandler(), 'POST /ops/console/sign-out', { cookies: [session], headers: formPost, body: `csrf=${csrf}` });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe(`${pool.url}/logout?client_id=${pool.clientId}&logout_uri=${encodeURIComponent(`${portal}/ops/console/sign-in`)}`);
    expect(out.cookies).toEqual(['__Host-ops_session=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0']);
    expect((await invoke(await pagesHandler(), 'GET /ops/console', { cookies: [session] })).statusCode).toBe(303);
  });
});
