import { randomUUID } from 'node:crypto';
import { SignJWT, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { localAudience, localIssuer } from '../../infra/local/jwt.ts';
import { signingKeys } from '../../infra/local/keys.ts';
import { call, newFirm, opsToken, signedToken, tokenFor } from '../support/api.ts';

const claims = (firmId: string) => ({ 'cognito:groups': ['advisors'], 'custom:firmId': firmId });

describe('advisor routes need a verified advisor token', () => {
  const firm = newFirm();

  it('answers a missing, garbage or foreign-signed token with 401', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const foreign = await new SignJWT(claims(firm))
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('x')
      .setIssuer(localIssuer)
      .setAudience(localAudience)
      .setExpirationTime('1h')
      .sign(privateKey);
    for (const header of [undefined, 'Bearer garbage', 'Bearer a.b.c', `Basic ${foreign}`, `Bearer ${foreign}`]) {
      const answer = await call('GET', '/households', { headers: header ? { authorization: header } : {} });
      expect(answer.status, header).toBe(401);
      expect(answer.body.error.code).toBe('unauthorized');
    }
  });

  it('refuses expired tokens and tokens for another issuer or audience', async () => {
    const { privateKey } = await signingKeys();
    const sign = (issuer: string, audience: string, expires: number) =>
      new SignJWT(claims(firm))
        .setProtectedHeader({ alg: 'ES256' })
        .setSubject('x')
        .setIssuer(issuer)
        .setAudience(audience)
        .setExpirationTime(expires)
        .sign(privateKey);
    const now = Math.floor(Date.now() / 1000);
    for (const token of [
      await sign(localIssuer, localAudience, now - 60),
      await sign('https://evil.example', localAudience, now + 3600),
      await sign(localIssuer, 'another-client', now + 3600),
    ]) {
      expect((await call('GET', '/households', { token })).status).toBe(401);
    }
  });

  it('refuses an unsigned alg:none token', async () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...claims(firm), sub: 'x', iss: localIssuer, aud: localAudience, exp: 9_999_999_999 })}.`;
    expect((await call('GET', '/households', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('answers an ops token on advisor routes with 403', async () => {
    const ops = await tokenFor('ops', firm);
    const answer = await call('POST', '/households', { token: ops, body: { name: 'x' } });
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('forbidden');
  });

  it('answers a token without a firm with 403', async () => {
    const { privateKey } = await signingKeys();
    const token = await new SignJWT({ 'cognito:groups': ['advisors'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('x')
      .setIssuer(localIssuer)
      .setAudience(localAudience)
      .setExpirationTime('1h')
      .sign(privateKey);
    expect((await call('GET', '/households', { token })).status).toBe(403);
  });

  it('answers an ops token with no firm on advisor routes with 403', async () => {
    const answer = await call('GET', '/households', { token: await opsToken() });
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('forbidden');
  });

  it('answers an unknown route with a JSON 404', async () => {
    const answer = await call('GET', '/nothing-here');
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('not_found');
  });
});

describe('ops routes take the platform ops team, in no firm', () => {
  it('accepts an ops token with no firm claim', async () => {
    const token = await opsToken({ sub: 'ops-platform-1', email: 'ops.one@platform.test' });
    expect((await call('GET', '/ops/tickets', { token })).status).toBe(200);
    // Any firm's ticket is theirs to open: an unknown one is simply not found.
    expect((await call('GET', `/ops/tickets/${randomUUID()}`, { token })).status).toBe(404);
  });

  it('ignores a firm claim on ops routes, however malformed or hostile', async () => {
    for (const firmId of ['', 'f'.repeat(300), '../../firm-b', 'firm\nforged', 42, ['firm-a', 'firm-b']]) {
      const token = await signedToken({ 'cognito:groups': ['ops'], 'custom:firmId': firmId }, 'ops-hostile-firm');
      expect((await call('GET', '/ops/tickets', { token })).status, JSON.stringify(firmId).slice(0, 20)).toBe(200);
    }
  });

  it('answers an advisor token on ops routes with 403', async () => {
    const answer = await call('GET', '/ops/tickets', { token: await tokenFor('advisor', newFirm()) });
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('forbidden');
  });

  it('lets someone in both groups work as an advisor of their firm and as an ops member', async () => {
    const firm = newFirm();
    const token = await signedToken({ 'cognito:groups': ['advisors', 'ops'], 'custom:firmId': firm }, 'advisor-and-ops');
    const created = await call('POST', '/households', { token, body: { name: 'Both Groups' } });
    expect(created.status).toBe(201);
    expect((await call('GET', '/households', { token })).body.items).toMatchObject([{ householdId: created.body.household.householdId }]);
    expect((await call('GET', '/ops/tickets', { token })).status).toBe(200);
  });
});
