import { describe, expect, it } from 'vitest';
import { call, newFirm, signedToken, tokenFor } from '../support/api.ts';
import { eventually, uniqueEmail } from '../support/mail.ts';

/** One person in both Cognito groups, as an advisor who also works the ops queue. */
const bothGroupsToken = (firmId: string, sub: string) => signedToken({ 'cognito:groups': ['advisors', 'ops'], 'custom:firmId': firmId }, sub);

const evidence = { method: 'phone', reference: 'call to the number on file' };

describe('maker-checker on verification tickets', () => {
  it('never lets the person who raised a ticket claim, approve or reject it, and another ops member still can', async () => {
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

    // Well-formed requests, evidence included, so only maker-checker can refuse them.
    const claim = await call('POST', `/ops/tickets/${ticketId}/claim`, { token: maker });
    const approve = await call('POST', `/ops/tickets/${ticketId}/approve`, { token: maker, body: { note: 'it is me', evidence } });
    const reject = await call('POST', `/ops/tickets/${ticketId}/reject`, { token: maker, body: { reason: 'never mind', evidence } });
    expect(claim.status).toBe(403);
    expect(claim.body.error.code).toBe('forbidden');
    expect(claim.body.error.message).toMatch(/you raised this ticket; another member of the ops team must work it/i);
    for (const answer of [approve, reject]) {
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('forbidden');
      expect(answer.body.error.message).toMatch(/you raised this ticket; another member of the ops team must decide it/i);
    }
    const untouched = (await call('GET', `/ops/tickets/${ticketId}`, { token: maker })).body.ticket;
    expect(untouched.status).toBe('open');
    expect(untouched.assignee).toBeUndefined();

    // The checker's token names another firm: ops work every firm's tickets, and the firm claim plays no part.
    const checker = await tokenFor('ops', newFirm(), { sub: 'ops-checker' });
    const claimed = await call('POST', `/ops/tickets/${ticketId}/claim`, { token: checker });
    expect(claimed.status).toBe(200);
    expect(claimed.body.ticket).toMatchObject({ assignee: 'ops-checker', firmId: firm });
    const approved = await call('POST', `/ops/tickets/${ticketId}/approve`, { token: checker, body: { note: 'called the client', evidence } });
    expect(approved.status).toBe(200);
    expect(approved.body.ticket).toMatchObject({ status: 'approved', decidedBy: 'ops-checker', evidence });
  });
});
