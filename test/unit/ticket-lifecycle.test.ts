// Every ticket transition and refusal, as pure functions: no table, no queue, no clock.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/domain/errors.ts';
import type { Invitation } from '../../lib/domain/invitation.ts';
import { serviceActor } from '../../lib/domain/invitation-lifecycle.ts';
import type { Ticket } from '../../lib/domain/ticket.ts';
import { decisionRefusal } from '../../lib/domain/ticket-change.ts';
import { approve, cancelledInstead, reject } from '../../lib/domain/ticket-decision.ts';
import { markNotified, raise, releaseNotification } from '../../lib/domain/ticket-lifecycle.ts';
import { hashToken, newToken } from '../../lib/domain/token.ts';
import type { TicketRequest } from '../../lib/schemas/invitations.ts';
import { firmCaller, minutesAfter, sent, start } from '../support/memory/fixtures.ts';

const leaseMs = 60_000;
const invited = sent({ prospect: true });
const invitation = invited.next;
const request = (invited.change.ticketRequest as { owe: TicketRequest }).owe;
const raisedAt = minutesAfter(start, 1);
const filed = raise(request, { ticket: undefined, invitation }, raisedAt, leaseMs).transition!.next;
/** Filed, and ops emailed about it. */
const open: Ticket = markNotified(filed, raisedAt).next;
const decidedAt = minutesAfter(start, 91);
const link = { token: newToken(), expiresInDays: 7 };
const evidence = { method: 'phone' as const, reference: 'call 42' };
/** A decision by `by` on `ticket` and the invitation as read (`invitation` unless given, even as undefined). */
type On = { by?: string; ticket?: Ticket; invitation?: Invitation | undefined };
const read = (on: On) => ('invitation' in on ? on.invitation : invitation);
const approving = (on: On = {}) => approve(on.ticket ?? open, read(on), { by: on.by ?? 'ops-1', at: decidedAt, note: 'called the client', evidence, link });
const rejecting = (on: On = {}) => reject(on.ticket ?? open, read(on), { by: on.by ?? 'ops-1', at: decidedAt, reason: 'no answer' });
const refusal = (decide: () => unknown) => {
  try {
    decide();
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('no refusal');
};

describe('raise: one delivery of a ticket request', () => {
  it('files the ticket open with its history and an email lease, emails ops and keeps the request owed until they are', () => {
    const { outcome, transition } = raise(request, { ticket: undefined, invitation }, raisedAt, leaseMs);
    const at = raisedAt.toISOString();
    expect(outcome).toBe('created');
    expect(transition!.next).toMatchObject({
      ticketId: request.ticketId,
      status: 'open',
      requestedBy: firmCaller.sub,
      createdAt: at,
      history: [{ action: 'raised', by: firmCaller.sub, at }],
      notifyLeaseUntil: new Date(raisedAt.getTime() + leaseMs).toISOString(),
    });
    expect(transition!.change).toEqual({
      key: { firmId: request.firmId, householdId: request.householdId, ticketId: request.ticketId },
      write: { create: transition!.next },
      audit: [{ action: 'ticket.raised', at, from: null, to: 'open', invitationId: request.invitationId, ticketId: request.ticketId }],
    });
    expect(transition!.effects).toEqual([{ kind: 'metric', name: 'ticketsRaised' }, { kind: 'email_ops', ticket: transition!.next }]);
  });

  it('writes nothing while another delivery holds the email lease', () => {
    expect(raise(request, { ticket: filed, invitation }, minutesAfter(raisedAt, 0.5), leaseMs)).toEqual({ outcome: 'duplicate', transition: undefined });
  });

  it('takes a lease that ran out (the sender crashed) and emails ops, only while no email is recorded and the lease is as read', () => {
    const later = minutesAfter(raisedAt, 2);
    const { outcome, transition } = raise(request, { ticket: filed, invitation }, later, leaseMs);
    const notifyLeaseUntil = new Date(later.getTime() + leaseMs).toISOString();
    expect(outcome).toBe('duplicate');
    expect(transition!.change.write).toEqual({
      set: { notifyLeaseUntil },
      when: { status: 'open', unnotified: true, lease: { heldUntil: filed.notifyLeaseUntil } },
    });
    expect(transition!.effects).toEqual([{ kind: 'email_ops', ticket: { ...filed, notifyLeaseUntil } }]);
    const neverLeased = { ...filed, notifyLeaseUntil: undefined };
    expect(raise(request, { ticket: neverLeased, invitation }, later, leaseMs).transition!.change.write).toMatchObject({ when: { lease: 'free' } });
  });

  it('only clears the request once ops were emailed, or once the ticket was decided, whatever became of the invitation', () => {
    const decided = approving().next.ticket;
    const revoked: Invitation = { ...invitation, state: 'revoked' };
    for (const [ticket, current] of [[open, invitation], [decided, invitation], [decided, revoked]] as const) {
      const { outcome, transition } = raise(request, { ticket, invitation: current }, raisedAt, leaseMs);
      expect(outcome).toBe('duplicate');
      expect(transition).toEqual({ next: ticket, change: { key: expect.any(Object), clearRequest: true }, effects: [] });
    }
  });

  it.each<[string, Partial<Invitation>, string]>([
    ['revoked', { state: 'revoked' }, 'invitation revoked'],
    ['accepted', { state: 'accepted' }, 'invitation accepted'],
    ['past its expiry', { expiresAt: start.toISOString() }, 'invitation expired'],
    ['on another ticket', { verification: { ...invitation.verification, ticketId: 'another' } }, 'invitation verification moved to another ticket'],
    ['verified already', { verification: { ...invitation.verification, status: 'verified' } }, 'verification already verified'],
  ])('files the request of an invitation %s as cancelled, by the service, with why, and clears it', (_fate, fields, why) => {
    const { outcome, transition } = raise(request, { ticket: undefined, invitation: { ...invitation, ...fields } }, raisedAt, leaseMs);
    const at = raisedAt.toISOString();
    expect(outcome).toBe('cancelled');
    expect(transition!.next).toMatchObject({
      status: 'cancelled',
      decidedBy: serviceActor,
      decidedAt: at,
      note: why,
      history: [{ action: 'raised', by: firmCaller.sub, at }, { action: 'cancelled', by: serviceActor, at }],
    });
    expect(transition!.change).toMatchObject({ write: { create: transition!.next }, clearRequest: true });
    expect(transition!.effects).toEqual([{ kind: 'metric', name: 'ticketsCancelled' }]);
  });

  it('cancels an open ticket whose invitation ended, only while it is still open', () => {
    const { outcome, transition } = raise(request, { ticket: open, invitation: { ...invitation, state: 'revoked' } }, decidedAt, leaseMs);
    const at = decidedAt.toISOString();
    expect(outcome).toBe('cancelled');
    expect(transition!.change).toMatchObject({
      write: {
        set: { status: 'cancelled', decidedAt: at, decidedBy: serviceActor, note: 'invitation revoked' },
        when: { status: 'open' },
        record: { action: 'cancelled', by: serviceActor, at },
      },
      clearRequest: true,
    });
    expect(transition!.next.history?.map((event) => event.action)).toEqual(['raised', 'cancelled']);
  });

  it('files a request whose invitation is missing open, so nothing is lost', () => {
    expect(raise(request, { ticket: undefined, invitation: undefined }, raisedAt, leaseMs).outcome).toBe('created');
  });
});

describe('the ops email lease', () => {
  it('records the email on the ticket, gives up the lease and clears the request, even on a ticket decided meanwhile', () => {
    const { next, change } = markNotified(filed, minutesAfter(raisedAt, 0.1));
    expect(next.notifiedAt).toBe(minutesAfter(raisedAt, 0.1).toISOString());
    expect(next).not.toHaveProperty('notifyLeaseUntil');
    expect(change).toMatchObject({ write: { set: { notifiedAt: next.notifiedAt }, remove: ['notifyLeaseUntil'] }, clearRequest: true });
    expect(change.write).not.toHaveProperty('when');
  });

  it('gives back only the lease this delivery holds', () => {
    expect(releaseNotification(filed)!.change.write).toEqual({ set: {}, remove: ['notifyLeaseUntil'], when: { lease: { heldUntil: filed.notifyLeaseUntil } } });
    expect(releaseNotification(open)).toBeUndefined();
  });
});

describe('approve', () => {
  it('decides the ticket and verifies the client with a fresh link, its lock and its email, in one change', () => {
    const { next, change, effects } = approving();
    const at = decidedAt.toISOString();
    const expiresAt = new Date(decidedAt.getTime() + 7 * 24 * 3_600_000).toISOString();
    expect(next.ticket).toMatchObject({ status: 'approved', decidedAt: at, decidedBy: 'ops-1', note: 'called the client', evidence });
    expect(next.ticket.history?.at(-1)).toEqual({ action: 'decided', by: 'ops-1', at });
    expect(next.invitation).toMatchObject({
      verification: { status: 'verified', ticketId: request.ticketId },
      verifiedAt: at,
      tokenHash: hashToken(link.token),
      expiresAt,
      delivery: 'pending',
      sends: [...invitation.sends, at],
    });
    expect(change.write).toEqual({
      set: { status: 'approved', decidedAt: at, decidedBy: 'ops-1', note: 'called the client', evidence },
      when: { status: 'open', assignee: null },
      record: { action: 'decided', by: 'ops-1', at },
    });
    expect(change.clearRequest).toBe(true);
    expect(change.invitation).toMatchObject({
      write: { when: { tokenHash: invitation.tokenHash, state: 'live', verificationStatus: 'pending_review', unexpiredAt: at } },
      link: { retire: invitation.tokenHash, issue: { tokenHash: hashToken(link.token), expiresAt } },
      lock: { take: { email: invitation.email, until: expiresAt } },
      emailOwed: true,
    });
    expect(effects).toEqual([
      { kind: 'metric', name: 'ticketsApproved' },
      { kind: 'metric', name: 'ticketTimeToDecision', value: 90 * 60, unit: 'Seconds' },
      { kind: 'email_invitation', invitation: next.invitation, token: link.token, template: 'verified' },
    ]);
  });

  it("approves a locked client's ticket, and leaves the note out when there is none", () => {
    const locked: Invitation = { ...invitation, verification: { ...invitation.verification, status: 'locked' } };
    const lockTicket: Ticket = { ...open, reason: 'verification_locked' };
    const { next, change } = approve(lockTicket, locked, { by: 'ops-1', at: decidedAt, evidence, link });
    expect(next.ticket.status).toBe('approved');
    expect(change.write).not.toHaveProperty('set.note');
    expect(change.invitation?.write).toMatchObject({ when: { verificationStatus: 'locked' } });
  });
});

describe('reject', () => {
  it('decides the ticket, rejects the verification and tells the inviting advisor why', () => {
    const { next, change, effects } = rejecting();
    expect(next.ticket).toMatchObject({ status: 'rejected', decidedBy: 'ops-1', note: 'no answer' });
    expect(next.invitation?.verification.status).toBe('rejected');
    expect(next.invitation?.tokenHash).toBe(invitation.tokenHash);
    expect(change.invitation).toEqual({
      key: { firmId: invitation.firmId, householdId: invitation.householdId, invitationId: invitation.invitationId },
      at: decidedAt.toISOString(),
      write: {
        set: { verification: { status: 'rejected' }, updatedAt: decidedAt.toISOString() },
        when: { tokenHash: invitation.tokenHash, state: 'live', verificationStatus: 'pending_review', unexpiredAt: decidedAt.toISOString() },
      },
    });
    expect(effects.map((effect) => effect.kind)).toEqual(['metric', 'metric', 'email_advisor_rejected']);
    expect(effects[2]).toEqual({ kind: 'email_advisor_rejected', ticket: next.ticket, to: firmCaller.email, reason: 'no answer' });
  });

  it('tells nobody when the advisor had no address', () => {
    const { effects } = rejecting({ invitation: { ...invitation, invitedByEmail: undefined } });
    expect(effects.map((effect) => effect.kind)).toEqual(['metric', 'metric']);
  });
});

describe('refusals', () => {
  it('never lets the person who raised a ticket decide it (maker-checker), before anything else', () => {
    for (const decide of [() => approving({ by: firmCaller.sub }), () => rejecting({ by: firmCaller.sub }), () => approving({ by: firmCaller.sub, ticket: approving().next.ticket })]) {
      expect(refusal(decide)).toEqual({ code: 'forbidden', message: 'You raised this ticket; another member of the ops team must decide it' });
    }
  });

  it('decides a ticket once', () => {
    const approved = approving().next.ticket;
    expect(refusal(() => rejecting({ by: 'ops-2', ticket: approved }))).toEqual({ code: 'conflict', message: 'This ticket is already approved' });
    expect(refusal(() => approving({ by: 'ops-2', ticket: rejecting().next.ticket }))).toEqual({ code: 'conflict', message: 'This ticket is already rejected' });
  });

  it.each<[string, Invitation | undefined, string]>([
    ['revoked', { ...invitation, state: 'revoked' }, 'invitation revoked'],
    ['accepted', { ...invitation, state: 'accepted' }, 'invitation accepted'],
    ['expired', { ...invitation, expiresAt: start.toISOString() }, 'invitation expired'],
    ['gone', undefined, 'invitation deleted'],
    ['moved to another ticket', { ...invitation, verification: { ...invitation.verification, ticketId: 'another' } }, 'invitation verification moved to another ticket'],
  ])('cancels the ticket of an invitation %s instead of deciding it', (_fate, current, why) => {
    for (const decide of [approving, rejecting]) {
      const { next, change, effects } = decide({ invitation: current });
      const at = decidedAt.toISOString();
      expect(next.ticket).toMatchObject({ status: 'cancelled', decidedBy: 'ops-1', decidedAt: at, note: why });
      expect(next.ticket.history?.at(-1)).toEqual({ action: 'cancelled', by: 'ops-1', at });
      expect(next.invitation).toBe(current);
      expect(change).toEqual({
        key: expect.any(Object),
        write: { set: { status: 'cancelled', decidedAt: at, decidedBy: 'ops-1', note: why }, when: { status: 'open' }, record: { action: 'cancelled', by: 'ops-1', at } },
        clearRequest: true,
        audit: [{ action: 'ticket.cancelled', at, from: 'open', to: 'cancelled', invitationId: next.ticket.invitationId, ticketId: next.ticket.ticketId }],
      });
      expect(effects).toEqual([{ kind: 'metric', name: 'ticketsCancelled' }]);
      expect(cancelledInstead(next.ticket).message).toBe(`This ticket is now cancelled: ${why}`);
    }
  });

  it('names what a decision lost to when it did not apply', () => {
    expect(decisionRefusal({ ok: false, failed: ['ticket'] }).message).toBe('This ticket was decided or claimed by someone else meanwhile');
    expect(decisionRefusal({ ok: false, failed: ['lock'] }).message).toMatch(/Another live invitation exists/);
    expect(decisionRefusal({ ok: false, failed: ['invitation'] }).message).toMatch(/The invitation changed meanwhile/);
  });
});
