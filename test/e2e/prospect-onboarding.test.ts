import { describe, expect, it } from 'vitest';
import { call, newFirm, tokenFor } from '../support/api.ts';
import { eventually, linkIn, uniqueEmail, waitForMail } from '../support/mail.ts';

describe('a prospect household is onboarded through the ops team', () => {
  it('invites, raises a ticket, tells ops, approves, sends a fresh link, and the client accepts', async () => {
    const firm = newFirm();
    const advisorEmail = uniqueEmail('advisor');
    const advisor = await tokenFor('advisor', firm, { email: advisorEmail, firmName: 'Northwind Wealth' });
    const ops = await tokenFor('ops', firm, { sub: 'ops-alice' });

    // 1. A household with no accounts is a normal prospect.
    const household = await call('POST', '/households', { token: advisor, body: { name: 'The Okafor Family' } });
    expect(household.status).toBe(201);
    expect(household.body.household.status).toBe('prospect');
    const householdId = household.body.household.householdId as string;

    // 2. Inviting a member emails the link and raises a verification-bypass ticket by itself.
    const clientEmail = uniqueEmail('ngozi');
    const invited = await call('POST', `/households/${householdId}/invitations`, {
      token: advisor,
      body: { firstName: 'Ngozi', lastName: 'Okafor', email: clientEmail },
    });
    expect(invited.status).toBe(201);
    expect(invited.body.invitation).toMatchObject({
      householdId,
      firstName: 'Ngozi',
      email: clientEmail,
      status: 'sent',
      verification: { method: 'manual', status: 'pending_review', ticketId: expect.any(String) },
    });
    const ticketId = invited.body.invitation.verification.ticketId as string;

    const [invitationMail] = await waitForMail(clientEmail);
    expect(invitationMail?.subject).toContain('Northwind Wealth');
    const firstLink = linkIn(invitationMail);

    // 3. The client's link says they are being verified.
    const waiting = await call('GET', `/portal/invitations/${firstLink.token}`);
    expect(waiting.body.invitation).toEqual({
      firstName: 'Ngozi',
      status: 'sent',
      verification: { method: 'manual', status: 'pending_review' },
      expiresAt: expect.any(String),
    });

    // 4. The ops function drains the queue into the work list and emails the ops inbox once.
    const ticket = await eventually(async () => {
      const answer = await call('GET', `/ops/tickets/${ticketId}`, { token: ops });
      return answer.status === 200 ? answer.body.ticket : undefined;
    });
    expect(ticket).toMatchObject({
      ticketId,
      type: 'verification_bypass',
      reason: 'no_account',
      firmId: firm,
      householdId,
      client: { firstName: 'Ngozi', lastName: 'Okafor', email: clientEmail },
      status: 'open',
    });
    const open = await call('GET', `/ops/tickets?status=open&firmId=${firm}`, { token: ops });
    expect(open.body.items.map((t: { ticketId: string }) => t.ticketId)).toContain(ticketId);

    const opsMail = (await waitForMail('ops@advisor-platform.test', 1)).filter((m) => m.body.text?.includes(ticketId));
    expect(opsMail).toHaveLength(1);
    for (const fact of ['Ngozi Okafor', clientEmail, 'The Okafor Family', householdId, firm, ticketId]) {
      expect(opsMail[0]?.body.text).toContain(fact);
    }

    // 5. Accepting before verification is refused.
    expect((await call('POST', `/portal/invitations/${firstLink.token}/accept`)).status).toBe(409);

    // 6. Ops approve, saying how they checked; the client gets a fresh link and the old one dies.
    const evidence = { method: 'phone', reference: 'call 14:05' };
    const approved = await call('POST', `/ops/tickets/${ticketId}/approve`, { token: ops, body: { note: 'called the client', evidence } });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      ticket: { status: 'approved', decidedBy: 'ops-alice', note: 'called the client', evidence, decidedAt: expect.any(String) },
      notification: 'sent',
    });
    expect((await call('POST', `/ops/tickets/${ticketId}/approve`, { token: ops, body: { evidence } })).status).toBe(409);

    const mails = await waitForMail(clientEmail, 2);
    const freshLink = linkIn(mails[1]);
    expect(freshLink.token).not.toBe(firstLink.token);
    expect((await call('GET', `/portal/invitations/${firstLink.token}`)).status).toBe(404);
    const verified = await call('GET', `/portal/invitations/${freshLink.token}`);
    expect(verified.body.invitation.verification.status).toBe('verified');

    // 7. The client accepts once; portal access is active.
    const accepted = await call('POST', `/portal/invitations/${freshLink.token}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ portalAccess: { status: 'active', householdId } });
    expect((await call('POST', `/portal/invitations/${freshLink.token}/accept`)).status).toBe(409);

    const list = await call('GET', `/households/${householdId}/invitations`, { token: advisor });
    expect(list.body.items).toEqual([
      expect.objectContaining({ status: 'accepted', acceptedAt: expect.any(String), verification: expect.objectContaining({ status: 'verified' }) }),
    ]);
  });

  it('tells the advisor by email when ops reject, and the link then refuses acceptance', async () => {
    const firm = newFirm();
    const advisorEmail = uniqueEmail('advisor');
    const advisor = await tokenFor('advisor', firm, { email: advisorEmail });
    const ops = await tokenFor('ops', firm);
    const household = await call('POST', '/households', { token: advisor, body: { name: 'Doubtful' } });
    const householdId = household.body.household.householdId as string;
    const clientEmail = uniqueEmail('doubt');
    const invited = await call('POST', `/households/${householdId}/invitations`, {
      token: advisor,
      body: { firstName: 'Dee', lastName: '<b>Oubt</b>', email: clientEmail },
    });
    const ticketId = invited.body.invitation.verification.ticketId as string;
    await eventually(async () => ((await call('GET', `/ops/tickets/${ticketId}`, { token: ops })).status === 200 ? true : undefined));

    expect((await call('POST', `/ops/tickets/${ticketId}/reject`, { token: ops, body: {} })).status).toBe(400);
    const rejected = await call('POST', `/ops/tickets/${ticketId}/reject`, { token: ops, body: { reason: 'ID documents do not match' } });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ ticket: { status: 'rejected', note: 'ID documents do not match' }, notification: 'sent' });

    const [toAdvisor] = await waitForMail(advisorEmail);
    expect(toAdvisor?.body.text).toContain('ID documents do not match');
    expect(toAdvisor?.body.html).toContain('&lt;b&gt;Oubt&lt;/b&gt;');
    expect(toAdvisor?.body.html).not.toContain('<b>Oubt</b>');

    const link = linkIn((await waitForMail(clientEmail))[0]);
    const view = await call('GET', `/portal/invitations/${link.token}`);
    expect(view.body.invitation.verification.status).toBe('rejected');
    expect((await call('POST', `/portal/invitations/${link.token}/accept`)).status).toBe(409);
    expect((await call('POST', `/ops/tickets/${ticketId}/approve`, { token: ops, body: { evidence: { method: 'phone' } } })).status).toBe(409);
  });
});
