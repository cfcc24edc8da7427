import { describe, expect, it } from 'vitest';
import { call, newFirm, signedToken, tokenFor } from '../support/api.ts';
import { eventually, uniqueEmail } from '../support/mail.ts';

/** One person in both Cognito groups, as an advisor who also works the ops queue. */
const bothGroupsToken = (firmId: string, sub: string) => signedToken({ 'cognito:groups': ['advisors', 'ops'], 'custom:firmId': firmId }, sub);

describe('maker-checker on verification tickets', () => {
  it('never lets the person who raised a ticket approve or reject it, and another ops member still can', async () => {
    const firm = newFirm();
    const maker = await bothGroupsToken(firm, 'advisor-and-ops');
    const household = await call('POST', '/households', { token: maker, body: { name: 'Self-approved' } });
    const invited = await call('POST', `/households/${household.body.household.householdId}/invitations`, {
      token: maker,
      body: { firstName: 'Mak', lastName: 'Er', email: uniqueEmail('maker') },
    });
    const ticketId = invited.body.invitation.verification.ticketId as string;
    const ticket = await eventually(async () => {
      const answer = await call('GET', `/ops/tickets/${ticketId}`, { token: maker });
      return answer.status === 200 ? answer.body.ticket : undefined;
    });
    expect(ticket.requestedBy).toBe('advisor-and-ops');

    const approve = await call('POST', `/ops/tickets/${ticketId}/approve`, { token: maker, body: { note: 'it is me' } });
    const reject = await call('POST', `/ops/tickets/${ticketId}/reject`, { token: maker, body: { reason: 'never mind' } });
    for (const answer of [approve, reject]) {
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('forbidden');
      expect(answer.body.error.message).toMatch(/you raised this ticket; another member of the ops team must decide it/i);
    }
    expect((await call('GET', `/ops/tickets/${ticketId}`, { token: maker })).body.ticket.status).toBe('open');

    const checker = await tokenFor('ops', firm, { sub: 'ops-checker' });
    const approved = await call('POST', `/ops/tickets/${ticketId}/approve`, { token: checker, body: { note: 'called the client' } });
    expect(approved.status).toBe(200);
    expect(approved.body.ticket).toMatchObject({ status: 'approved', decidedBy: 'ops-checker' });
  });
});
