// What ticket and household changes say happened, and the trail the ticket use cases write into the ticket's
// household, with the ops user or the service as the actor and each request's id.
import { describe, expect, it } from 'vitest';
import { creation, linking, newHousehold } from '../../lib/domain/household.ts';
import { claimTicket, releaseTicket } from '../../lib/use-cases/claim-ticket.ts';
import { approveVerification, rejectVerification } from '../../lib/use-cases/decide-ticket.ts';
import { raiseVerificationTicket } from '../../lib/use-cases/raise-verification-ticket.ts';
import { firmCaller, start } from '../support/memory/fixtures.ts';
import { amara, ticketSystem } from '../support/memory/ticket-system.ts';

const evidence = { method: 'phone' as const };

describe('what a household change says happened', () => {
  it('is created a prospect, or a client when it came with accounts', () => {
    const prospect = newHousehold({ name: 'P', members: [] }, [], firmCaller, start.toISOString());
    const client = newHousehold({ name: 'C', members: [] }, [{ numberHash: 'h', last4: '1234' }], firmCaller, start.toISOString());
    expect(creation(prospect)).toEqual({ action: 'household.created', at: start.toISOString(), from: null, to: 'prospect' });
    expect(creation(client)).toMatchObject({ to: 'client' });
  });

  it("converts a prospect with its first account; a client's next one is only linked", () => {
    expect(linking({ status: 'prospect' }, 'now')).toEqual({ action: 'household.converted', at: 'now', from: 'prospect', to: 'client' });
    expect(linking({ status: 'client' }, 'now')).toEqual({ action: 'household.account_linked', at: 'now', from: 'client', to: 'client' });
  });
});

describe("a ticket's trail, in its household's", () => {
  it('is raised by the service in the queue message, claimed, released and decided by ops in their requests', async () => {
    const s = await ticketSystem();
    const { ticketId, invitationId, householdId } = s.request;
    await raiseVerificationTicket({ ...s.deps, requestId: 'message-1' }, s.request);
    await claimTicket({ ...s.deps, requestId: 'req-claim' }, amara, ticketId);
    await releaseTicket({ ...s.deps, requestId: 'req-release' }, amara, ticketId);
    await approveVerification({ ...s.deps, requestId: 'req-approve' }, amara, ticketId, { evidence });
    const ops = { sub: amara.sub, role: 'ops' };
    const ticketEvents = s.memory.events.filter((event) => event.ticketId === ticketId);
    expect(ticketEvents.map(({ action, actor, from, to, requestId }) => ({ action, actor, from, to, requestId }))).toEqual([
      { action: 'ticket.raised', actor: { sub: 'portal-onboarding', role: 'system' }, from: null, to: 'open', requestId: 'message-1' },
      { action: 'ticket.claimed', actor: ops, from: null, to: amara.sub, requestId: 'req-claim' },
      { action: 'ticket.released', actor: ops, from: amara.sub, to: null, requestId: 'req-release' },
      { action: 'ticket.decided', actor: ops, from: 'open', to: 'approved', requestId: 'req-approve' },
      { action: 'verification.verified', actor: ops, from: 'pending_review', to: 'verified', requestId: 'req-approve' },
    ]);
    expect(ticketEvents.every((event) => event.householdId === householdId && event.invitationId === invitationId)).toBe(true);
  });

  it('records a rejection as the decision and the verification rejected', async () => {
    const s = await ticketSystem();
    await raiseVerificationTicket({ ...s.deps, requestId: 'message-1' }, s.request);
    await rejectVerification({ ...s.deps, requestId: 'req-reject' }, amara, s.request.ticketId, { reason: 'no match' });
    expect(s.memory.events.slice(-2).map(({ action, from, to }) => [action, from, to])).toEqual([
      ['ticket.decided', 'open', 'rejected'],
      ['verification.rejected', 'pending_review', 'rejected'],
    ]);
  });
});
