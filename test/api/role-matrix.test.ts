import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { localAudience, localIssuer } from '../../infra/local/jwt.ts';
import { signingKeys } from '../../infra/local/keys.ts';
import { routes, type Route } from '../../infra/routes.ts';
import { call, newFirm, tokenFor } from '../support/api.ts';

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

  it("never shows another firm's data", async () => {
    const outsider = await tokenFor(route.access === 'advisor' ? 'advisor' : 'ops', newFirm());
    const answer = await call(route.method, pathOf(route), { token: outsider, body: route.method === 'POST' ? {} : undefined });
    if (route.path.includes('{')) {
      expect([404, 400]).toContain(answer.status);
      if (answer.status === 400) expect(answer.body.error.code).toBe('validation_error');
    } else {
      expect(answer.status === 200 ? answer.body.items : []).toEqual([]);
    }
    expect(answer.text).not.toContain(ids.householdId);
  });
});
