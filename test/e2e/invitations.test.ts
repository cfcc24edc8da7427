import { beforeAll, describe, expect, it } from 'vitest';
import { call, newFirm, tokenFor } from '../support/api.ts';
import { eventually, uniqueEmail, waitForMail } from '../support/mail.ts';

let firm: string;
let advisor: string;
let ops: string;
let otherAdvisor: string;

beforeAll(async () => {
  firm = newFirm();
  advisor = await tokenFor('advisor', firm);
  ops = await tokenFor('ops', firm);
  otherAdvisor = await tokenFor('advisor', newFirm());
});

const prospect = async (name = 'Prospect') =>
  (await call('POST', '/households', { token: advisor, body: { name } })).body.household.householdId as string;

const invite = (householdId: string, email: string, token = advisor) =>
  call('POST', `/households/${householdId}/invitations`, { token, body: { firstName: 'Sam', lastName: 'Ito', email } });

describe('one live invitation per email and household', () => {
  it('lets exactly one of ten racing invitations through', async () => {
    const householdId = await prospect();
    const email = uniqueEmail('race');
    const answers = await Promise.all(Array.from({ length: 10 }, () => invite(householdId, email)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    const list = await call('GET', `/households/${householdId}/invitations`, { token: advisor });
    expect(list.body.items).toHaveLength(1);
    expect(await waitForMail(email, 2, undefined, 1_500)).toHaveLength(1);
  });

  it('treats email case as the same person', async () => {
    const householdId = await prospect();
    const email = uniqueEmail('case');
    expect((await invite(householdId, email)).status).toBe(201);
    const again = await invite(householdId, email.toUpperCase());
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
  });
});

describe('resending', () => {
  it('allows five emails per invitation per day, then answers 429', async () => {
    const householdId = await (async () =>
      (await call('POST', '/households', { token: advisor, body: { name: 'R', accounts: [{ accountNumber: '12345678' }] } })).body
        .household.householdId as string)();
    const created = await invite(householdId, uniqueEmail('resend'));
    const path = `/households/${householdId}/invitations/${created.body.invitation.invitationId}/resend`;
    for (let i = 0; i < 4; i += 1) expect((await call('POST', path, { token: advisor })).status).toBe(200);
    const limited = await call('POST', path, { token: advisor });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(limited.headers.get('retry-after')).toBeTruthy();
  });

  it('refuses a body on resend and revoke', async () => {
    const householdId = await prospect();
    const created = await invite(householdId, uniqueEmail('body'));
    const path = `/households/${householdId}/invitations/${created.body.invitation.invitationId}/resend`;
    expect((await call('POST', path, { token: advisor, body: { expiresAt: 'never' } })).status).toBe(400);
  });
});

describe('revoking', () => {
  it('cancels the open verification ticket of a prospect', async () => {
    const householdId = await prospect();
    const created = await invite(householdId, uniqueEmail('revoke'));
    const { invitationId, verification } = created.body.invitation;
    await eventually(async () => ((await call('GET', `/ops/tickets/${verification.ticketId}`, { token: ops })).status === 200 ? true : undefined));

    await call('POST', `/households/${householdId}/invitations/${invitationId}/revoke`, { token: advisor });
    const ticket = await call('GET', `/ops/tickets/${verification.ticketId}`, { token: ops });
    expect(ticket.body.ticket).toMatchObject({ status: 'cancelled', decidedAt: expect.any(String) });
    const approve = await call('POST', `/ops/tickets/${verification.ticketId}/approve`, { token: ops, body: { evidence: { method: 'phone' } } });
    expect(approve.status).toBe(409);
    const cancelled = await call('GET', `/ops/tickets?status=cancelled&firmId=${firm}`, { token: ops });
    expect(cancelled.body.items.map((t: { ticketId: string }) => t.ticketId)).toContain(verification.ticketId);
  });
});

describe('invitations belong to their firm', () => {
  it("answers another firm's household and invitation with 404 and changes nothing", async () => {
    const householdId = await prospect();
    const created = await invite(householdId, uniqueEmail('tenant'));
    const base = `/households/${householdId}/invitations`;
    expect((await invite(householdId, uniqueEmail('x'), otherAdvisor)).status).toBe(404);
    expect((await call('GET', base, { token: otherAdvisor })).status).toBe(404);
    for (const action of ['resend', 'revoke']) {
      expect((await call('POST', `${base}/${created.body.invitation.invitationId}/${action}`, { token: otherAdvisor })).status).toBe(404);
    }
    const mine = await call('GET', base, { token: advisor });
    expect(mine.body.items[0].status).toBe('sent');
  });

  it("shows the firm's tickets to ops whatever firm their token names: the ops desk serves every firm", async () => {
    const householdId = await prospect();
    const { ticketId } = (await invite(householdId, uniqueEmail('desk'))).body.invitation.verification;
    const otherFirmOps = await tokenFor('ops', newFirm());
    const ticket = await eventually(async () => {
      const answer = await call('GET', `/ops/tickets/${ticketId}`, { token: otherFirmOps });
      return answer.status === 200 ? answer.body.ticket : undefined;
    });
    expect(ticket).toMatchObject({ ticketId, firmId: firm, householdId });
  });

  it('keeps advisors off ops routes and ops off advisor routes', async () => {
    expect((await call('GET', '/ops/tickets', { token: advisor })).status).toBe(403);
    expect((await call('GET', '/ops/tickets')).status).toBe(401);
    const householdId = await prospect();
    expect((await invite(householdId, uniqueEmail('ops'), ops)).status).toBe(403);
  });
});

describe('bad invitation input', () => {
  it.each([
    ['missing email', { firstName: 'A', lastName: 'B' }],
    ['bad email', { firstName: 'A', lastName: 'B', email: 'not-an-email' }],
    ['header injection in the name', { firstName: 'A\r\nBcc: x@y.z', lastName: 'B', email: 'a@b.co' }],
    ['expiry out of range', { firstName: 'A', lastName: 'B', email: 'a@b.co', expiresInDays: 31 }],
    ['unknown field', { firstName: 'A', lastName: 'B', email: 'a@b.co', householdId: 'x' }],
  ])('answers %s with 400 and creates nothing', async (_label, body) => {
    const householdId = await prospect();
    const answer = await call('POST', `/households/${householdId}/invitations`, { token: advisor, body });
    expect(answer.status).toBe(400);
    const list = await call('GET', `/households/${householdId}/invitations`, { token: advisor });
    expect(list.body.items).toEqual([]);
  });

  it('honours a custom expiry between 1 and 30 days', async () => {
    const householdId = await prospect();
    const answer = await call('POST', `/households/${householdId}/invitations`, {
      token: advisor,
      body: { firstName: 'A', lastName: 'B', email: uniqueEmail('exp'), expiresInDays: 1 },
    });
    const days = (Date.parse(answer.body.invitation.expiresAt) - Date.parse(answer.body.invitation.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(1, 5);
  });
});
