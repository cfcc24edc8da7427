// A ticket keeps its history (raised, claimed and released, then decided or cancelled, each with who and when),
// written by the table's own list_append so a step never drops another's; the ops desk shows it on GET /ops/tickets/{id}.
import { describe, expect, it } from 'vitest';
import { call, newFirm, tokenFor } from '../support/api.ts';
import { eventually, uniqueEmail } from '../support/mail.ts';

const prospectTicket = async () => {
  const firm = newFirm();
  const advisor = await tokenFor('advisor', firm, { sub: 'advisor-history' });
  const ops = await tokenFor('ops', firm, { sub: 'ops-history' });
  const household = await call('POST', '/households', { token: advisor, body: { name: 'History Household' } });
  const householdId = household.body.household.householdId as string;
  const invited = await call('POST', `/households/${householdId}/invitations`, {
    token: advisor,
    body: { firstName: 'His', lastName: 'Tory', email: uniqueEmail('history') },
  });
  const { invitationId, verification } = invited.body.invitation;
  const opened = await eventually(async () => {
    const answer = await call('GET', `/ops/tickets/${verification.ticketId}`, { token: ops });
    return answer.status === 200 ? answer.body.ticket : undefined;
  });
  return { advisor, ops, householdId, invitationId, ticketId: verification.ticketId as string, opened };
};

describe('a ticket history', () => {
  it('starts with raised, by the inviting advisor, when the ticket was filed', async () => {
    const { opened } = await prospectTicket();
    expect(opened.history).toEqual([{ action: 'raised', by: 'advisor-history', at: opened.createdAt }]);
  });

  it('adds the decision, by the ops member who made it', async () => {
    const { ops, ticketId, opened } = await prospectTicket();
    const approved = await call('POST', `/ops/tickets/${ticketId}/approve`, { token: ops, body: { note: 'called', evidence: { method: 'phone' } } });
    expect(approved.body.ticket.history).toEqual([...opened.history, { action: 'decided', by: 'ops-history', at: approved.body.ticket.decidedAt }]);
    expect((await call('GET', `/ops/tickets/${ticketId}`, { token: ops })).body.ticket.history).toEqual(approved.body.ticket.history);
  });

  it('adds each claim and release, by the ops member who took or gave back the ticket', async () => {
    const { ops, ticketId, opened } = await prospectTicket();
    const claimed = await call('POST', `/ops/tickets/${ticketId}/claim`, { token: ops });
    expect(claimed.body.ticket).toMatchObject({ assignee: 'ops-history', assignedAt: expect.any(String) });
    const released = await call('POST', `/ops/tickets/${ticketId}/release`, { token: ops });
    expect(released.body.ticket.assignee).toBeUndefined();
    expect(released.body.ticket.history).toEqual([
      ...opened.history,
      { action: 'claimed', by: 'ops-history', at: claimed.body.ticket.assignedAt },
      { action: 'released', by: 'ops-history', at: expect.any(String) },
    ]);
    expect((await call('GET', `/ops/tickets/${ticketId}`, { token: ops })).body.ticket.history).toEqual(released.body.ticket.history);
  });

  it('adds the cancellation a revoke makes to what was stored, without reading it', async () => {
    const { advisor, ops, householdId, invitationId, ticketId, opened } = await prospectTicket();
    await call('POST', `/households/${householdId}/invitations/${invitationId}/revoke`, { token: advisor });
    const { ticket } = (await call('GET', `/ops/tickets/${ticketId}`, { token: ops })).body;
    expect(ticket.history).toEqual([...opened.history, { action: 'cancelled', by: 'advisor-history', at: ticket.decidedAt }]);
  });
});
