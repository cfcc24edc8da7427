import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../infra/routes.ts';
import { call, newFirm, tokenFor } from '../support/api.ts';
import { uniqueEmail, waitForMail } from '../support/mail.ts';

let advisor: string;

beforeAll(async () => {
  advisor = await tokenFor('advisor', newFirm());
});

const countHouseholds = async () => (await call('GET', '/households?limit=100', { token: advisor })).body.items.length as number;

describe('Idempotency-Key on POST', () => {
  it('returns the first answer to a retry with the same key and body', async () => {
    const key = randomUUID();
    const before = await countHouseholds();
    const first = await call('POST', '/households', { token: advisor, body: { name: 'Once' }, headers: { 'idempotency-key': key } });
    const retry = await call('POST', '/households', { token: advisor, body: { name: 'Once' }, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await countHouseholds()).toBe(before + 1);
  });

  it('answers 422 idempotency_key_reused when the same key comes with another body', async () => {
    const key = randomUUID();
    await call('POST', '/households', { token: advisor, body: { name: 'First' }, headers: { 'idempotency-key': key } });
    const other = await call('POST', '/households', { token: advisor, body: { name: 'Second' }, headers: { 'idempotency-key': key } });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
  });

  it('has one effect for twenty concurrent retries with one key', async () => {
    const key = randomUUID();
    const before = await countHouseholds();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        call('POST', '/households', { token: advisor, body: { name: 'Concurrent' }, headers: { 'idempotency-key': key } }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((a) => a.body.household.householdId)).size).toBe(1);
    expect(await countHouseholds()).toBe(before + 1);
  });

  it('sends one invitation email for concurrent retries of an invitation', async () => {
    const householdId = (await call('POST', '/households', { token: advisor, body: { name: 'Invite once' } })).body.household.householdId;
    const email = uniqueEmail('idem');
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        call('POST', `/households/${householdId}/invitations`, {
          token: advisor,
          body: { firstName: 'I', lastName: 'D', email },
          headers: { 'idempotency-key': key },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(5).fill(201));
    expect(await waitForMail(email, 2, undefined, 1_500)).toHaveLength(1);
  });

  it('keeps keys apart between callers', async () => {
    const key = randomUUID();
    const other = await tokenFor('advisor', newFirm());
    const mine = await call('POST', '/households', { token: advisor, body: { name: 'Mine' }, headers: { 'idempotency-key': key } });
    const theirs = await call('POST', '/households', { token: other, body: { name: 'Mine' }, headers: { 'idempotency-key': key } });
    expect(theirs.status).toBe(201);
    expect(theirs.body.household.householdId).not.toBe(mine.body.household.householdId);
  });

  it('does not keep a failed answer: a corrected retry with the same key runs', async () => {
    const key = randomUUID();
    const bad = await call('POST', '/households', { token: advisor, body: { name: '' }, headers: { 'idempotency-key': key } });
    expect(bad.status).toBe(400);
    const fixed = await call('POST', '/households', { token: advisor, body: { name: '' }, headers: { 'idempotency-key': key } });
    expect(fixed.status).toBe(400);
  });

  it('rejects a malformed key', async () => {
    const answer = await call('POST', '/households', { token: advisor, body: { name: 'x' }, headers: { 'idempotency-key': 'has space' } });
    expect(answer.status).toBe(400);
  });

  it('is honoured by every JSON POST route', async () => {
    const { readFileSync } = await import('node:fs');
    const { functions } = await import('../../infra/routes.ts');
    // Pages' form posts (the invite page, the ops console, the portal's) are not JSON routes: a browser's form sends no
    // Idempotency-Key. A portal sign-in request, the one JSON post among them, is safe to repeat and has no caller to
    // scope a key to: one client's key must never replay as another's answer.
    const pagePost = (r: (typeof routes)[number]) => r.path.startsWith('/invite/') || r.path.startsWith('/ops/console/') || r.access === 'portal';
    for (const route of routes.filter((r) => r.method === 'POST' && !pagePost(r))) {
      const source = readFileSync(`functions/${functions[route.function].entry}`, 'utf8');
      expect(source, route.path).toContain('idempotency: idempotencyKeys(deps.idempotency)');
    }
  });
});
