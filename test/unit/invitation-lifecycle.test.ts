import { describe, expect, it } from 'vitest';
import type { Invitation } from '../../lib/domain/invitation.ts';
import {
  accept,
  emailUnanswered,
  expire,
  recordDelivery,
  resend,
  revoke,
  serviceActor,
  takeOverDelivery,
} from '../../lib/domain/invitation-lifecycle.ts';
import { hashToken, newToken } from '../../lib/domain/token.ts';
import { minutesAfter, sent, start } from '../support/memory/fixtures.ts';

const later = minutesAfter(start, 30);
const afterExpiry = (invitation: Invitation) => new Date(Date.parse(invitation.expiresAt) + 1);
const verified = (invitation: Invitation): Invitation => ({ ...invitation, verification: { ...invitation.verification, status: 'verified' } });

describe('send', () => {
  it("saves a prospect's invitation with its link, its email's lock, the email and the ticket request owed", () => {
    const { next, change, effects, token } = sent({ prospect: true });
    expect(next).toMatchObject({ state: 'live', delivery: 'pending', tokenHash: hashToken(token), verification: { method: 'manual', status: 'pending_review' } });
    expect(change).toMatchObject({
      write: { create: next },
      link: { issue: { tokenHash: next.tokenHash, expiresAt: next.expiresAt } },
      lock: { take: { email: next.email, until: next.expiresAt } },
      emailOwed: true,
      ticketRequest: { owe: { ticketId: next.verification.ticketId, reason: 'no_account', requestedAt: next.createdAt } },
    });
    expect(effects.map((effect) => effect.kind)).toEqual(['email_invitation', 'queue_ticket_request']);
    expect(effects[0]).toMatchObject({ token, template: 'invitation' });
  });

  it("owes no ticket for a client, who verifies with an account number", () => {
    const { next, change, effects } = sent();
    expect(next.verification).toEqual({ method: 'account_number', status: 'not_started', wrongAttempts: 0 });
    expect(change.ticketRequest).toBeUndefined();
    expect(effects.map((effect) => effect.kind)).toEqual(['email_invitation']);
  });
});

describe('resend', () => {
  it('issues a new link and expiry, kills the old link, takes the lock again and owes the email', () => {
    const { next: invitation } = sent();
    const token = newToken();
    const { next, change, effects } = resend(invitation, { token, expiresInDays: 3 }, later);
    expect(next).toMatchObject({ tokenHash: hashToken(token), expiresAt: minutesAfter(later, 3 * 24 * 60).toISOString(), delivery: 'pending' });
    expect(next.sends).toEqual([start.toISOString(), later.toISOString()]);
    expect(change).toMatchObject({
      write: { when: { tokenHash: invitation.tokenHash, state: 'live', unexpiredAt: later.toISOString() } },
      link: { retire: invitation.tokenHash, issue: { tokenHash: next.tokenHash } },
      lock: { take: { email: invitation.email, until: next.expiresAt } },
      emailOwed: true,
    });
    expect(effects).toEqual([{ kind: 'email_invitation', invitation: next, token, template: 'invitation' }]);
  });

  it('refuses a sixth email within 24 hours and allows it a day later', () => {
    const sends = Array.from({ length: 5 }, (_, i) => minutesAfter(later, -i).toISOString());
    const busy: Invitation = { ...sent().next, sends };
    expect(() => resend(busy, { token: newToken(), expiresInDays: 7 }, later)).toThrow(/At most 5/);
    const nextDay = minutesAfter(later, 24 * 60 + 1);
    expect(resend(busy, { token: newToken(), expiresInDays: 7 }, nextDay).next.sends).toHaveLength(1);
  });

  it.each(['revoked', 'accepted', 'expired'] as const)('refuses to resend an invitation already %s', (state) => {
    expect(() => resend({ ...sent().next, state }, { token: newToken(), expiresInDays: 7 }, later)).toThrow(new RegExp(state));
  });

  it('refuses to resend an invitation past its expiry: it ended, the advisor invites again', () => {
    const { next } = sent();
    expect(() => resend(next, { token: newToken(), expiresInDays: 7 }, afterExpiry(next))).toThrow(/expired/);
  });
});

describe('delivery', () => {
  it('takes over an email nobody answered for on a new link, with the same expiry and ticket request', () => {
    const { next: invitation } = sent({ prospect: true });
    const token = newToken();
    const { next, change, effects } = takeOverDelivery(invitation, token, later);
    expect(next).toMatchObject({ tokenHash: hashToken(token), expiresAt: invitation.expiresAt });
    expect(change).toMatchObject({
      write: { set: { tokenHash: next.tokenHash }, when: { tokenHash: invitation.tokenHash, delivery: 'pending', state: 'live' } },
      link: { retire: invitation.tokenHash, issue: { tokenHash: next.tokenHash, expiresAt: invitation.expiresAt } },
      emailOwed: true,
    });
    expect(effects.map((effect) => effect.kind)).toEqual(['email_invitation', 'queue_ticket_request']);
  });

  it('never takes over an email SES answered for', () => {
    expect(() => takeOverDelivery({ ...sent().next, delivery: 'sent' }, newToken(), later)).toThrow(/answered/);
    expect(() => takeOverDelivery({ ...sent().next, state: 'revoked' }, newToken(), later)).toThrow(/answered/);
  });

  it("records SES's answer for the current link and stops owing the email", () => {
    const { next: invitation } = sent();
    const delivered = recordDelivery(invitation, 'sent', later);
    expect(delivered.next).toMatchObject({ delivery: 'sent', sentAt: later.toISOString() });
    expect(delivered.change).toMatchObject({ write: { when: { tokenHash: invitation.tokenHash } }, emailOwed: false });
    expect(delivered.effects).toEqual([{ kind: 'metric', name: 'invitationsSent' }]);
    const refused = recordDelivery(invitation, 'failed', later);
    expect(refused.next.delivery).toBe('failed');
    expect(refused.next.sentAt).toBeUndefined();
    expect(refused.effects).toEqual([{ kind: 'metric', name: 'invitationsFailed' }]);
  });

  it('marks an email nobody answered for send_failed, only while still pending on the link and outbox slot read', () => {
    const entry = { firmId: 'f', householdId: 'h', invitationId: 'i', tokenHash: 'hash', sortKey: 'slot' };
    expect(emailUnanswered(entry, later)).toEqual({
      key: { firmId: 'f', householdId: 'h', invitationId: 'i' },
      at: later.toISOString(),
      write: { set: { delivery: 'failed', updatedAt: later.toISOString() }, when: { tokenHash: 'hash', delivery: 'pending', emailOutboxSlot: 'slot' } },
      emailOwed: false,
      audit: [{ action: 'invitation.send_failed', at: later.toISOString(), from: 'sent', to: 'send_failed', invitationId: 'i' }],
      // The advisor is told a day later unless the invitation was resent on a new link by then.
      advisorNotice: { event: 'send_failed', tokenHash: 'hash', dueAt: new Date(later.getTime() + 24 * 60 * 60_000).toISOString() },
    });
  });
});

describe('revoke', () => {
  it('kills the link, frees the lock and cancels the open ticket, conditioned on the verification it read', () => {
    const { next: invitation } = sent({ prospect: true });
    const { next, change, effects } = revoke(invitation, 'advisor-2', later);
    const ticketId = invitation.verification.ticketId!;
    expect(next).toMatchObject({ state: 'revoked', revokedAt: later.toISOString() });
    expect(change).toMatchObject({
      write: { when: { tokenHash: invitation.tokenHash, state: 'live', verificationStatus: 'pending_review', unexpiredAt: later.toISOString() } },
      link: { retire: invitation.tokenHash },
      lock: { free: { email: invitation.email } },
      emailOwed: false,
      ticketRequest: { clear: ticketId },
      cancelTicket: { ticketId, status: 'cancelled', reason: 'no_account', decidedBy: 'advisor-2', note: 'invitation revoked' },
    });
    expect(effects).toEqual([{ kind: 'metric', name: 'ticketsCancelled' }]);
  });

  it("cancels a locked client's ticket, and touches no ticket when none is open", () => {
    const { next: client } = sent();
    const locked: Invitation = { ...client, verification: { ...client.verification, status: 'locked', ticketId: 'ticket-9', wrongAttempts: 5 } };
    expect(revoke(locked, 'advisor-2', later).change.cancelTicket).toMatchObject({ ticketId: 'ticket-9', reason: 'verification_locked' });
    const open = revoke(client, 'advisor-2', later);
    expect(open.change.cancelTicket).toBeUndefined();
    expect(open.change.ticketRequest).toBeUndefined();
    expect(open.effects).toEqual([]);
  });

  it.each(['revoked', 'accepted', 'expired'] as const)('refuses an invitation already %s', (state) => {
    expect(() => revoke({ ...sent().next, state }, 'advisor-2', later)).toThrow(`already ${state}`);
  });
});

describe('accept', () => {
  it('accepts a verified invitation once and frees its email, keeping the link for the done page', () => {
    const invitation = verified(sent().next);
    const { next, change } = accept(invitation, later);
    expect(next).toMatchObject({ state: 'accepted', acceptedAt: later.toISOString() });
    expect(change).toMatchObject({
      write: { when: { tokenHash: invitation.tokenHash, state: 'live', verificationStatus: 'verified', unexpiredAt: later.toISOString() } },
      lock: { free: { email: invitation.email } },
    });
    expect(change.link).toBeUndefined();
  });

  it('refuses before verification, twice, and after the invitation ended', () => {
    expect(() => accept(sent().next, later)).toThrow(/verified before you can accept/);
    expect(() => accept({ ...verified(sent().next), state: 'accepted' }, later)).toThrow(/already been accepted/);
    expect(() => accept({ ...verified(sent().next), state: 'revoked' }, later)).toThrow(/already revoked/);
    const invitation = verified(sent().next);
    expect(() => accept(invitation, afterExpiry(invitation))).toThrow(/already expired/);
  });
});

describe('expire', () => {
  it('ends an invitation past its expiry: link dead, email free, open ticket cancelled by the service', () => {
    const { next: invitation } = sent({ prospect: true });
    const at = afterExpiry(invitation);
    const { next, change, effects } = expire(invitation, at);
    expect(next).toMatchObject({ state: 'expired', expiredAt: at.toISOString() });
    expect(change).toMatchObject({
      write: { when: { tokenHash: invitation.tokenHash, state: 'live', verificationStatus: 'pending_review', expiredBy: at.toISOString() } },
      link: { retire: invitation.tokenHash },
      lock: { free: { email: invitation.email } },
      ticketRequest: { clear: invitation.verification.ticketId },
      cancelTicket: { status: 'cancelled', decidedBy: serviceActor, note: 'invitation expired' },
    });
    expect(effects).toEqual([{ kind: 'metric', name: 'ticketsCancelled' }]);
  });

  it('refuses an invitation not yet expired, or already ended', () => {
    const { next } = sent();
    expect(() => expire(next, later)).toThrow(/not expired yet/);
    expect(() => expire({ ...next, state: 'accepted' }, afterExpiry(next))).toThrow(/already accepted/);
    expect(() => expire({ ...next, state: 'expired' }, afterExpiry(next))).toThrow(/already expired/);
  });
});
