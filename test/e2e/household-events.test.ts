// A household's audit trail through the API on the local stack: every change, by whom, in which request, in order,
// for the household's own firm only, and nothing personal in it.
import { describe, expect, it } from 'vitest';
import { call, newFirm, tokenFor, type Answer } from '../support/api.ts';
import { eventually, linkIn, uniqueEmail, waitForMail } from '../support/mail.ts';

const requestIdOf = (answer: Answer) => answer.headers.get('apigw-requestid');

interface Event {
  eventId: string;
  at: string;
  action: string;
  actor: { sub: string; role: string };
  from: string | null;
  to: string | null;
  requestId: string;
  invitationId?: string;
  ticketId?: string;
}

/** Every event of the household, page by page. */
const trail = async (token: string, householdId: string, limit = 100): Promise<Event[]> => {
  const events: Event[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await call('GET', `/households/${householdId}/events${query}`, { token });
    expect(page.status).toBe(200);
    events.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return events;
};

describe("a household's audit trail", () => {
  it('records each invitation change with its actor, role and request, oldest first, for its own firm only', async () => {
    const firm = newFirm();
    const advisorEmail = uniqueEmail('advisor');
    const advisor = await tokenFor('advisor', firm, { sub: 'advisor-ada', email: advisorEmail, firmName: 'Northwind Wealth' });
    const household = await call('POST', '/households', {
      token: advisor,
      body: { name: 'The Achebe Family', members: [{ firstName: 'Chinua', lastName: 'Achebe', role: 'primary' }], accounts: [{ accountNumber: '44556677' }] },
    });
    const householdId = household.body.household.householdId as string;

    const clientEmail = uniqueEmail('chinua');
    const invited = await call('POST', `/households/${householdId}/invitations`, { token: advisor, body: { firstName: 'Chinua', lastName: 'Achebe', email: clientEmail } });
    expect(invited.status).toBe(201);
    const invitationId = invited.body.invitation.invitationId as string;
    const { token } = linkIn((await waitForMail(clientEmail))[0]);
    const verified = await call('POST', `/portal/invitations/${token}/verify`, { body: { accountNumber: '44556677' } });
    expect(verified.status).toBe(200);
    const accepted = await call('POST', `/portal/invitations/${token}/accept`);
    expect(accepted.status).toBe(200);

    const spouseEmail = uniqueEmail('spouse');
    const second = await call('POST', `/households/${householdId}/invitations`, { token: advisor, body: { firstName: 'Christie', lastName: 'Achebe', email: spouseEmail } });
    const secondId = second.body.invitation.invitationId as string;
    const revoked = await call('POST', `/households/${householdId}/invitations/${secondId}/revoke`, { token: advisor });
    expect(revoked.status).toBe(200);

    const advisorActor = { sub: 'advisor-ada', role: 'advisor' };
    const clientActor = { sub: invitationId, role: 'client' };
    const events = await trail(advisor, householdId);
    expect(events).toEqual([
      expect.objectContaining({ action: 'household.created', actor: advisorActor, from: null, to: 'client', requestId: requestIdOf(household) }),
      expect.objectContaining({ action: 'invitation.sent', actor: advisorActor, from: null, to: 'sent', invitationId, requestId: requestIdOf(invited) }),
      expect.objectContaining({ action: 'verification.verified', actor: clientActor, from: 'not_started', to: 'verified', requestId: requestIdOf(verified) }),
      expect.objectContaining({ action: 'invitation.accepted', actor: clientActor, from: 'sent', to: 'accepted', requestId: requestIdOf(accepted) }),
      expect.objectContaining({ action: 'invitation.sent', actor: advisorActor, invitationId: secondId, requestId: requestIdOf(second) }),
      expect.objectContaining({ action: 'invitation.revoked', actor: advisorActor, from: 'sent', to: 'revoked', requestId: requestIdOf(revoked) }),
    ]);
    expect(events.map((event) => `${event.at}#${event.eventId}`)).toEqual(events.map((event) => `${event.at}#${event.eventId}`).sort());

    // Page by page, one at a time, the same trail: nothing twice, nothing skipped.
    expect(await trail(advisor, householdId, 1)).toEqual(events);

    // Ids, states and who acted: no name, email, household name or account number.
    const text = JSON.stringify(events);
    for (const personal of [clientEmail, spouseEmail, advisorEmail, 'Chinua', 'Christie', 'Achebe', '44556677']) expect(text).not.toContain(personal);

    // Another firm's advisor learns nothing, not even that the household exists.
    const stranger = await tokenFor('advisor', newFirm());
    expect((await call('GET', `/households/${householdId}/events`, { token: stranger })).status).toBe(404);
    // A cursor of the household's invitations list is not one of its events list.
    const invitationsPage = await call('GET', `/households/${householdId}/invitations?limit=1`, { token: advisor });
    const foreignCursor = encodeURIComponent(invitationsPage.body.nextCursor as string);
    expect((await call('GET', `/households/${householdId}/events?cursor=${foreignCursor}`, { token: advisor })).status).toBe(400);
  });

  it('tells a prospect\'s story: created, invited, ticket raised by the service, approved by ops, accepted, converted', async () => {
    const firm = newFirm();
    const advisor = await tokenFor('advisor', firm, { sub: 'advisor-bea', email: uniqueEmail('advisor'), firmName: 'Southwind' });
    const ops = await tokenFor('ops', firm, { sub: 'ops-olu' });
    const created = await call('POST', '/households', { token: advisor, body: { name: 'The Okri Family' } });
    const householdId = created.body.household.householdId as string;
    const clientEmail = uniqueEmail('ben');
    const invited = await call('POST', `/households/${householdId}/invitations`, { token: advisor, body: { firstName: 'Ben', lastName: 'Okri', email: clientEmail } });
    const { invitationId } = invited.body.invitation;
    const ticketId = invited.body.invitation.verification.ticketId as string;
    await eventually(async () => ((await call('GET', `/ops/tickets/${ticketId}`, { token: ops })).status === 200 ? true : undefined));
    const claimed = await call('POST', `/ops/tickets/${ticketId}/claim`, { token: ops });
    const approved = await call('POST', `/ops/tickets/${ticketId}/approve`, { token: ops, body: { evidence: { method: 'video' } } });
    expect(approved.status).toBe(200);
    const { token } = linkIn((await waitForMail(clientEmail, 2))[1]);
    const accepted = await call('POST', `/portal/invitations/${token}/accept`);
    expect(accepted.status).toBe(200);
    const linked = await call('POST', `/households/${householdId}/accounts`, { token: advisor, body: { accountNumber: '99887766' } });
    expect(linked.status).toBe(201);

    const advisorActor = { sub: 'advisor-bea', role: 'advisor' };
    const opsActor = { sub: 'ops-olu', role: 'ops' };
    const events = await trail(advisor, householdId);
    expect(events.map(({ action, actor, from, to, requestId }) => ({ action, actor, from, to, requestId }))).toEqual([
      { action: 'household.created', actor: advisorActor, from: null, to: 'prospect', requestId: requestIdOf(created) },
      { action: 'invitation.sent', actor: advisorActor, from: null, to: 'sent', requestId: requestIdOf(invited) },
      // The ops function's, in the queue message that carried the request.
      { action: 'ticket.raised', actor: { sub: 'portal-onboarding', role: 'system' }, from: null, to: 'open', requestId: expect.any(String) },
      { action: 'ticket.claimed', actor: opsActor, from: null, to: 'ops-olu', requestId: requestIdOf(claimed) },
      { action: 'ticket.decided', actor: opsActor, from: 'open', to: 'approved', requestId: requestIdOf(approved) },
      { action: 'verification.verified', actor: opsActor, from: 'pending_review', to: 'verified', requestId: requestIdOf(approved) },
      { action: 'invitation.accepted', actor: { sub: invitationId, role: 'client' }, from: 'sent', to: 'accepted', requestId: requestIdOf(accepted) },
      { action: 'household.converted', actor: advisorActor, from: 'prospect', to: 'client', requestId: requestIdOf(linked) },
    ]);
    expect(events.filter((event) => event.action.startsWith('ticket.')).every((event) => event.ticketId === ticketId)).toBe(true);
    const text = JSON.stringify(events);
    for (const personal of [clientEmail, 'Ben', 'Okri', '99887766']) expect(text).not.toContain(personal);
  });
});
