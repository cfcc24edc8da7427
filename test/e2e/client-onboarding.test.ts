import { describe, expect, it } from 'vitest';
import { call, newFirm, tokenFor } from '../support/api.ts';
import { eventually, linkIn, uniqueEmail, waitForMail } from '../support/mail.ts';

const setUp = async () => {
  const firm = newFirm();
  const advisor = await tokenFor('advisor', firm, { email: uniqueEmail('advisor') });
  const ops = await tokenFor('ops', firm);
  const household = await call('POST', '/households', {
    token: advisor,
    body: { name: 'The Lindqvist Household', accounts: [{ accountNumber: '4400-1234-5678', custodian: 'Pershing' }] },
  });
  const householdId = household.body.household.householdId as string;
  const clientEmail = uniqueEmail('erik');
  const invited = await call('POST', `/households/${householdId}/invitations`, {
    token: advisor,
    body: { firstName: 'Erik', lastName: 'Lindqvist', email: clientEmail },
  });
  const link = linkIn((await waitForMail(clientEmail))[0]);
  return { firm, advisor, ops, householdId, clientEmail, invitation: invited.body.invitation, link };
};

describe('a client household verifies itself with an account number', () => {
  it('verifies with the right number after a wrong one, then accepts', async () => {
    const { invitation, link, householdId } = await setUp();
    expect(invitation.verification).toEqual({ method: 'account_number', status: 'not_started' });

    const wrong = await call('POST', `/portal/invitations/${link.token}/verify`, { body: { accountNumber: '9999-0000-1111' } });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('invalid_account_number');
    expect(wrong.body.error.details[0].attemptsLeft).toBe(4);

    expect((await call('POST', `/portal/invitations/${link.token}/accept`)).status).toBe(409);

    // Spaces and dashes don't matter: the number is normalized before it is compared.
    const right = await call('POST', `/portal/invitations/${link.token}/verify`, { body: { accountNumber: '4400 1234 5678' } });
    expect(right.status).toBe(200);
    expect(right.body.invitation.verification).toEqual({ method: 'account_number', status: 'verified' });

    const accepted = await call('POST', `/portal/invitations/${link.token}/accept`);
    expect(accepted.body).toEqual({ portalAccess: { status: 'active', householdId } });
    const view = await call('GET', `/portal/invitations/${link.token}`);
    expect(view.body.invitation.status).toBe('accepted');
  });

  it('locks after five wrong numbers and raises a verification_locked ticket that ops can approve', async () => {
    const { firm, link, ops, clientEmail, householdId } = await setUp();
    for (let left = 4; left >= 1; left -= 1) {
      const answer = await call('POST', `/portal/invitations/${link.token}/verify`, { body: { accountNumber: `1111222${left}` } });
      expect(answer.status).toBe(422);
      expect(answer.body.error.details[0].attemptsLeft).toBe(left);
    }
    const fifth = await call('POST', `/portal/invitations/${link.token}/verify`, { body: { accountNumber: '11112220' } });
    expect(fifth.status).toBe(423);
    expect(fifth.body.error.code).toBe('locked');
    // Locked means locked: even the right number is refused now.
    expect((await call('POST', `/portal/invitations/${link.token}/verify`, { body: { accountNumber: '440012345678' } })).status).toBe(423);

    const view = await call('GET', `/portal/invitations/${link.token}`);
    expect(view.body.invitation.verification.status).toBe('locked');

    const ticket = await eventually(async () => {
      const list = await call('GET', `/ops/tickets?status=open&firmId=${firm}`, { token: ops });
      return list.body.items.find((t: { householdId: string }) => t.householdId === householdId);
    });
    expect(ticket).toMatchObject({ reason: 'verification_locked', client: { email: clientEmail }, status: 'open' });

    const approved = await call('POST', `/ops/tickets/${ticket.ticketId}/approve`, { token: ops, body: { evidence: { method: 'video' } } });
    expect(approved.status).toBe(200);
    const fresh = linkIn((await waitForMail(clientEmail, 2))[1]);
    expect((await call('POST', `/portal/invitations/${fresh.token}/accept`)).status).toBe(200);
  });

  it('resends with a new link that replaces the old one, then revokes it', async () => {
    const { advisor, householdId, invitation, link, clientEmail } = await setUp();
    const base = `/households/${householdId}/invitations/${invitation.invitationId}`;
    const resent = await call('POST', `${base}/resend`, { token: advisor });
    expect(resent.status).toBe(200);
    expect(Date.parse(resent.body.invitation.expiresAt)).toBeGreaterThanOrEqual(Date.parse(invitation.expiresAt));
    const newLink = linkIn((await waitForMail(clientEmail, 2))[1]);
    expect(newLink.token).not.toBe(link.token);
    expect((await call('GET', `/portal/invitations/${link.token}`)).status).toBe(404);
    expect((await call('GET', `/portal/invitations/${newLink.token}`)).status).toBe(200);

    const revoked = await call('POST', `${base}/revoke`, { token: advisor });
    expect(revoked.status).toBe(200);
    expect(revoked.body.invitation.status).toBe('revoked');
    const dead = await call('GET', `/portal/invitations/${newLink.token}`);
    const unknown = await call('GET', `/portal/invitations/${'x'.repeat(43)}`);
    expect(dead.status).toBe(404);
    expect(dead.body).toEqual(unknown.body);
    expect((await call('POST', `${base}/resend`, { token: advisor })).status).toBe(409);
    expect((await call('POST', `${base}/revoke`, { token: advisor })).status).toBe(409);

    // With the old invitation revoked, the same person can be invited again.
    const again = await call('POST', `/households/${householdId}/invitations`, {
      token: advisor,
      body: { firstName: 'Erik', lastName: 'Lindqvist', email: clientEmail.toUpperCase() },
    });
    expect(again.status).toBe(201);
  });
});
