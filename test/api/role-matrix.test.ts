import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { localAudience, localIssuer } from '../../infra/local/jwt.ts';
import { signingKeys } from '../../infra/local/keys.ts';
import { routes, type Route } from '../../infra/routes.ts';
import { newToken } from '../../lib/domain/token.ts';
import { call, newFirm, tokenFor, type CallOptions } from '../support/api.ts';
import { eventually } from '../support/mail.ts';

// Every JWT-protected route against every kind of wrong caller.
const firm = newFirm();
const ids: Record<string, string> = {};
const credentials: Record<string, string | undefined> = {};

const signed = async (claims: Record<string, unknown>, issuer = localIssuer, audience = localAudience, expires: number | string = '1h') =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject('matrix')
    .setIssuer(issuer)
    .setAudience(audience)
    .setExpirationTime(expires)
    .sign((await signingKeys()).privateKey);

beforeAll(async () => {
  const advisor = await tokenFor('advisor', firm);
  const household = await call('POST', '/households', { token: advisor, body: { name: 'Matrix' } });
  ids.householdId = household.body.household.householdId;
  const invited = await call('POST', `/households/${ids.householdId}/invitations`, {
    token: advisor,
    body: { firstName: 'M', lastName: 'X', email: 'matrix@client.test' },
  });
  ids.invitationId = invited.body.invitation.invitationId;
  ids.ticketId = invited.body.invitation.verification.ticketId;
  // Raised by the ops function from the queue: wait for it, so every ops route meets a ticket that exists.
  const ops = await tokenFor('ops', firm);
  await eventually(async () => ((await call('GET', `/ops/tickets/${ids.ticketId}`, { token: ops })).status === 200 ? true : undefined));
  const advisorClaims = { 'cognito:groups': ['advisors', 'ops'], 'custom:firmId': firm };
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  Object.assign(credentials, {
    none: undefined,
    garbage: 'not.a.jwt',
    expired: await signed(advisorClaims, localIssuer, localAudience, Math.floor(Date.now() / 1000) - 10),
    'wrong issuer': await signed(advisorClaims, 'https://issuer.evil.test'),
    'wrong audience': await signed(advisorClaims, localIssuer, 'someone-else'),
    'alg none': `${encode({ alg: 'none' })}.${encode({ ...advisorClaims, sub: 'x', iss: localIssuer, aud: localAudience, exp: 4_102_444_800 })}.`,
  });
}, 60_000);

const pathOf = (route: Route) =>
  route.path
    .replace('{householdId}', ids.householdId!)
    .replace('{invitationId}', ids.invitationId!)
    .replace('{ticketId}', ids.ticketId!);

const guarded = routes.filter((route) => route.access === 'advisor' || route.access === 'ops');

describe.each(guarded.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', (_name, route) => {
  it('answers 401 to missing, garbage, expired, foreign-issuer, foreign-audience and unsigned tokens', async () => {
    for (const [kind, token] of Object.entries(credentials)) {
      const answer = await call(route.method, pathOf(route), { token, body: route.method === 'POST' ? {} : undefined });
      expect(answer.status, kind).toBe(401);
      expect(answer.body.error.code, kind).toBe('unauthorized');
    }
  });

  it('answers 403 to the wrong group', async () => {
    const wrong = await tokenFor(route.access === 'advisor' ? 'ops' : 'advisor', firm);
    const answer = await call(route.method, pathOf(route), { token: wrong, body: route.method === 'POST' ? {} : undefined });
    expect(answer.status).toBe(403);
  });

  if (route.access === 'advisor') {
    it("never shows another firm's data", async () => {
      const outsider = await tokenFor('advisor', newFirm());
      const answer = await call(route.method, pathOf(route), { token: outsider, body: route.method === 'POST' ? {} : undefined });
      if (route.path.includes('{')) {
        expect([404, 400]).toContain(answer.status);
        if (answer.status === 400) expect(answer.body.error.code).toBe('validation_error');
      } else {
        expect(answer.status === 200 ? answer.body.items : []).toEqual([]);
      }
      expect(answer.text).not.toContain(ids.householdId);
    });
  } else {
    // SPEC §4: the ops desk serves every firm, so the firm an ops token names plays no part in the answer.
    it('answers the same whatever firm the ops token names', async () => {
      const path = route.path === '/ops/tickets' ? `/ops/tickets?firmId=${firm}` : pathOf(route);
      const body = route.method === 'POST' ? {} : undefined;
      // One ops user (one sub) through two tokens, so a claim the first call takes is the second call's own.
      const mine = await call(route.method, path, { token: await tokenFor('ops', firm, { sub: 'matrix-ops' }), body });
      const theirs = await call(route.method, path, { token: await tokenFor('ops', newFirm(), { sub: 'matrix-ops' }), body });
      expect(theirs.status).toBe(mine.status);
      if (mine.status === 200) expect(theirs.text).toContain(ids.ticketId);
      else expect(theirs.body.error.code).toBe(mine.body.error.code);
    });
  }
});

// Routes opened by the emailed link (JSON and the HTML page alike): the link is the only credential.
const linkRoutes = routes.filter((route) => route.access === 'invitation');

/** A request each link route would accept if the link were alive, so only the link decides the answer. */
const wellFormed = (route: Route): CallOptions => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  if (route.method !== 'POST') return {};
  if (route.path.startsWith('/invite/')) return { rawBody: route.path.endsWith('/verify') ? 'accountNumber=12345678' : '', headers: form };
  return route.path.endsWith('/verify') ? { body: { accountNumber: '12345678' } } : {};
};

describe.each(linkRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', (_name, route) => {
  it('answers a dead link with the same 404 whatever bearer token comes with it', async () => {
    const path = route.path.replace('{token}', newToken());
    const bare = await call(route.method, path, wellFormed(route));
    expect(bare.status).toBe(404);
    for (const token of [await tokenFor('advisor', firm), await tokenFor('ops', firm), 'not.a.jwt']) {
      const answer = await call(route.method, path, { ...wellFormed(route), token });
      expect(answer.status).toBe(404);
      expect(answer.text).toBe(bare.text);
    }
  });
});
