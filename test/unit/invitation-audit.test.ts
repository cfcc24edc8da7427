// What each invitation transition says happened (the audit trail's content), and that the use cases write it with
// who did it and in which request, against the in-memory store.
import { describe, expect, it } from 'vitest';
import { recorded, systemActor } from '../../lib/domain/audit.ts';
import { newId } from '../../lib/domain/ids.ts';
import { accept, emailUnanswered, expire, recordDelivery, resend, revoke } from '../../lib/domain/invitation-lifecycle.ts';
import { lock, reserveAttempt, verify } from '../../lib/domain/invitation-verification.ts';
import type { HouseholdStore, OutgoingEmail } from '../../lib/domain/ports.ts';
import { newToken } from '../../lib/domain/token.ts';
import { acceptInvitation } from '../../lib/use-cases/accept-invitation.ts';
import { revokeInvitation } from '../../lib/use-cases/revoke-invitation.ts';
import { sendInvitation } from '../../lib/use-cases/send-invitation.ts';
import { verifyIdentity } from '../../lib/use-cases/verify-identity.ts';
import { clientHousehold, firmCaller, minutesAfter, prospectHousehold, sent, start } from '../support/memory/fixtures.ts';
import { memoryInvitations } from '../support/memory/invitations.ts';

const at = (minutes: number) => minutesAfter(start, minutes);
const link = { token: newToken(), expiresInDays: 7 };

describe('what each invitation transition says happened', () => {
  it('sends: from nothing to sent, naming the ticket a prospect waits on', () => {
    const prospect = sent({ prospect: true });
    expect(prospect.change.audit).toEqual([
      { action: 'invitation.sent', at: start.toISOString(), from: null, to: 'sent', invitationId: prospect.next.invitationId, ticketId: prospect.next.verification.ticketId },
    ]);
    expect(sent().change.audit).toEqual([expect.objectContaining({ action: 'invitation.sent', ticketId: undefined })]);
  });

  it('resends, fails a send, revokes, accepts and expires, each from the status it read', () => {
    const { next: invitation } = sent();
    const failed = recordDelivery(invitation, 'failed', at(1));
    expect(failed.change.audit).toEqual([{ action: 'invitation.send_failed', at: at(1).toISOString(), from: 'sent', to: 'send_failed', invitationId: invitation.invitationId }]);
    expect(recordDelivery(invitation, 'sent', at(1)).change.audit).toBeUndefined();
    expect(resend(failed.next, link, at(2)).change.audit).toEqual([expect.objectContaining({ action: 'invitation.resent', from: 'send_failed', to: 'sent' })]);
    expect(revoke(invitation, 'advisor-1', at(3)).change.audit).toEqual([expect.objectContaining({ action: 'invitation.revoked', from: 'sent', to: 'revoked' })]);
    const verified = { ...invitation, verification: { ...invitation.verification, status: 'verified' as const } };
    expect(accept(verified, at(4)).change.audit).toEqual([expect.objectContaining({ action: 'invitation.accepted', from: 'sent', to: 'accepted' })]);
    const expired = expire(invitation, minutesAfter(start, 8 * 24 * 60)).change.audit;
    expect(expired).toEqual([expect.objectContaining({ action: 'invitation.expired', from: 'sent', to: 'expired' })]);
  });

  it("cancels the ticket a prospect's ended invitation waited on, in the same trail", () => {
    const { next: invitation } = sent({ prospect: true });
    const ticketId = invitation.verification.ticketId;
    expect(revoke(invitation, 'advisor-1', at(3)).change.audit).toEqual([
      expect.objectContaining({ action: 'invitation.revoked' }),
      { action: 'ticket.cancelled', at: at(3).toISOString(), from: 'open', to: 'cancelled', invitationId: invitation.invitationId, ticketId },
    ]);
  });

  it('verifies and locks, from not started; an attempt reserved is not an event', () => {
    const { next: invitation } = sent();
    expect(reserveAttempt(invitation, at(1)).change.audit).toBeUndefined();
    expect(verify(invitation, 1, at(1)).change.audit).toEqual([expect.objectContaining({ action: 'verification.verified', from: 'not_started', to: 'verified' })]);
    const spent = { ...invitation, verification: { ...invitation.verification, wrongAttempts: 5 } };
    const ticketId = newId();
    expect(lock(spent, ticketId, at(1)).change.audit).toEqual([expect.objectContaining({ action: 'verification.locked', to: 'locked', ticketId })]);
  });

  it('marks an email SES never answered for as failed, by the sweeper', () => {
    const { next: invitation } = sent();
    const entry = { ...invitation, tokenHash: invitation.tokenHash, sortKey: 'slot' };
    const change = recorded(emailUnanswered(entry, at(10)), systemActor, 'sweep-1');
    expect(change.events).toEqual([
      expect.objectContaining({ action: 'invitation.send_failed', actor: { sub: 'portal-onboarding', role: 'system' }, requestId: 'sweep-1', firmId: invitation.firmId, householdId: invitation.householdId }),
    ]);
  });
});

describe('the trail the use cases write', () => {
  const system = () => {
    const memory = memoryInvitations();
    const mails: OutgoingEmail[] = [];
    const households = { get: async (_firm: string, id: string) => [prospectHousehold, clientHousehold].find((h) => h.householdId === id) };
    const deps = (requestId: string) => ({
      invitations: memory.store,
      households: households as unknown as HouseholdStore,
      mailer: { send: async (email: OutgoingEmail) => void mails.push(email) },
      ticketQueue: { send: async () => undefined },
      hasher: { hash: async () => '', hashesToMatch: async (_firm: string, number: string) => [`hash-of-${number}`] },
      attempts: { hit: async () => 1 },
      portalUrl: () => 'https://portal.test',
      expiryDays: () => 7,
      now: () => start,
      requestId,
    });
    const tokenIn = (mail: OutgoingEmail | undefined) => mail!.text.match(/\/invite\/([\w-]+)/)![1]!;
    return { memory, mails, deps, tokenIn };
  };

  it('records who acted, in which request, each change in its own household, with fresh time-ordered ids', async () => {
    const s = system();
    const view = await sendInvitation(s.deps('req-send'), firmCaller, clientHousehold.householdId, { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' });
    const token = s.tokenIn(s.mails[0]);
    await verifyIdentity(s.deps('req-verify'), token, '12345678');
    await acceptInvitation(s.deps('req-accept'), token);
    const advisor = { sub: firmCaller.sub, role: 'advisor' };
    const client = { sub: view.invitationId, role: 'client' };
    expect(s.memory.events).toEqual([
      expect.objectContaining({ action: 'invitation.sent', actor: advisor, requestId: 'req-send', householdId: clientHousehold.householdId, firmId: firmCaller.firmId }),
      expect.objectContaining({ action: 'verification.verified', actor: client, requestId: 'req-verify' }),
      expect.objectContaining({ action: 'invitation.accepted', actor: client, requestId: 'req-accept' }),
    ]);
    const ids = s.memory.events.map((event) => event.eventId);
    expect(new Set(ids).size).toBe(3);
    expect([...ids].sort()).toEqual(ids);
  });

  it('writes nothing for a change that did not apply', async () => {
    const s = system();
    const view = await sendInvitation(s.deps('req-send'), firmCaller, prospectHousehold.householdId, { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' });
    const ids = { householdId: prospectHousehold.householdId, invitationId: view.invitationId };
    await revokeInvitation(s.deps('req-revoke'), firmCaller, ids);
    await expect(revokeInvitation(s.deps('req-again'), firmCaller, ids)).rejects.toMatchObject({ code: 'conflict' });
    expect(s.memory.events.map((event) => [event.action, event.requestId])).toEqual([
      ['invitation.sent', 'req-send'],
      ['invitation.revoked', 'req-revoke'],
      ['ticket.cancelled', 'req-revoke'],
    ]);
  });
});
