// Claiming and releasing a ticket, and who may decide a claimed one, as pure functions: no table, no clock.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/domain/errors.ts';
import type { Ticket } from '../../lib/domain/ticket.ts';
import { assertNotHeldByOther, claim, release } from '../../lib/domain/ticket-claim.ts';
import { approve, reject } from '../../lib/domain/ticket-decision.ts';
import { markNotified, raise } from '../../lib/domain/ticket-lifecycle.ts';
import { newToken } from '../../lib/domain/token.ts';
import type { TicketRequest } from '../../lib/schemas/invitations.ts';
import { firmCaller, minutesAfter, sent, start } from '../support/memory/fixtures.ts';

const invited = sent({ prospect: true });
const invitation = invited.next;
const request = (invited.change.ticketRequest as { owe: TicketRequest }).owe;
const raisedAt = minutesAfter(start, 1);
const open: Ticket = markNotified(raise(request, { ticket: undefined, invitation }, raisedAt, 60_000).transition!.next, raisedAt).next;
const key = { firmId: open.firmId, householdId: open.householdId, ticketId: open.ticketId };
const claimedAt = minutesAfter(start, 10);
const heldByAmara = claim(open, 'ops-amara', claimedAt)!.next;
const later = minutesAfter(start, 20);
const evidence = { method: 'id_document' as const, reference: 'passport seen on video' };
const link = { token: newToken(), expiresInDays: 7 };
const approving = (ticket: Ticket, by: string) => approve(ticket, invitation, { by, at: later, evidence, link });
const rejecting = (ticket: Ticket, by: string, withEvidence = true) =>
  reject(ticket, invitation, { by, at: later, reason: 'no answer', ...(withEvidence ? { evidence } : {}) });
const approved = approving(open, 'ops-bruno').next.ticket;

const refusal = (act: () => unknown) => {
  try {
    act();
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('no refusal');
};
const heldByOther = { code: 'conflict', message: 'Another member of the ops team has claimed this ticket' };

describe('claim', () => {
  it('takes an open ticket nobody holds, on condition that it is still open and still nobody holds it', () => {
    const at = claimedAt.toISOString();
    const transition = claim(open, 'ops-amara', claimedAt)!;
    expect(transition.next).toMatchObject({ status: 'open', assignee: 'ops-amara', assignedAt: at });
    expect(transition.next.history?.map((event) => event.action)).toEqual(['raised', 'claimed']);
    expect(transition.change).toEqual({
      key,
      write: { set: { assignee: 'ops-amara', assignedAt: at }, when: { status: 'open', assignee: null }, record: { action: 'claimed', by: 'ops-amara', at } },
      audit: [{ action: 'ticket.claimed', at, from: null, to: 'ops-amara', invitationId: open.invitationId, ticketId: open.ticketId }],
    });
    expect(transition.effects).toEqual([]);
  });

  it('changes nothing when the claimer already holds it', () => {
    expect(claim(heldByAmara, 'ops-amara', later)).toBeUndefined();
  });

  it('answers 409 when someone else holds it', () => {
    expect(refusal(() => claim(heldByAmara, 'ops-bruno', later))).toEqual(heldByOther);
  });

  it("refuses the ticket's raiser (403): they could never decide it", () => {
    expect(refusal(() => claim(open, firmCaller.sub, later))).toEqual({
      code: 'forbidden',
      message: 'You raised this ticket; another member of the ops team must work it',
    });
  });

  it('answers 409 on a ticket already decided or cancelled', () => {
    expect(refusal(() => claim(approved, 'ops-amara', later))).toEqual({ code: 'conflict', message: 'This ticket is already approved' });
    expect(refusal(() => claim({ ...open, status: 'cancelled' }, 'ops-amara', later))).toEqual({ code: 'conflict', message: 'This ticket is already cancelled' });
  });
});

describe('release', () => {
  it('gives the ticket back to the queue, on condition that the releaser still holds it', () => {
    const at = later.toISOString();
    const transition = release(heldByAmara, 'ops-amara', later)!;
    expect(transition.next).not.toHaveProperty('assignee');
    expect(transition.next).not.toHaveProperty('assignedAt');
    expect(transition.next.history?.map((event) => event.action)).toEqual(['raised', 'claimed', 'released']);
    expect(transition.change).toEqual({
      key,
      write: { set: {}, remove: ['assignee', 'assignedAt'], when: { status: 'open', assignee: 'ops-amara' }, record: { action: 'released', by: 'ops-amara', at } },
      audit: [{ action: 'ticket.released', at, from: 'ops-amara', to: null, invitationId: open.invitationId, ticketId: open.ticketId }],
    });
  });

  it('changes nothing on a ticket nobody holds', () => {
    expect(release(open, 'ops-amara', later)).toBeUndefined();
  });

  it("answers 409 to someone releasing another's ticket", () => {
    expect(refusal(() => release(heldByAmara, 'ops-bruno', later))).toEqual(heldByOther);
  });

  it('answers 409 on a ticket already decided, even to the one who held it', () => {
    const decided = approving(heldByAmara, 'ops-amara').next.ticket;
    expect(refusal(() => release(decided, 'ops-amara', later))).toEqual({ code: 'conflict', message: 'This ticket is already approved' });
  });
});

describe('deciding a claimed ticket', () => {
  it('answers 409 to anyone but the assignee, approving or rejecting', () => {
    expect(refusal(() => approving(heldByAmara, 'ops-bruno'))).toEqual(heldByOther);
    expect(refusal(() => rejecting(heldByAmara, 'ops-bruno'))).toEqual(heldByOther);
    expect(refusal(() => assertNotHeldByOther(heldByAmara, 'ops-bruno'))).toEqual(heldByOther);
  });

  it('lets the assignee decide, on condition that they still hold it', () => {
    for (const decide of [approving, rejecting]) {
      const { next, change } = decide(heldByAmara, 'ops-amara');
      expect(next.ticket).toMatchObject({ decidedBy: 'ops-amara', assignee: 'ops-amara' });
      expect(change.write).toMatchObject({ when: { status: 'open', assignee: 'ops-amara' } });
    }
    expect(() => assertNotHeldByOther(heldByAmara, 'ops-amara')).not.toThrow();
  });

  it('lets anyone decide an unclaimed ticket, on condition that nobody claimed it meanwhile', () => {
    for (const decide of [approving, rejecting]) {
      const { next, change } = decide(open, 'ops-bruno');
      expect(next.ticket.decidedBy).toBe('ops-bruno');
      expect(change.write).toMatchObject({ when: { status: 'open', assignee: null } });
    }
  });
});

describe('evidence with a decision', () => {
  it('stores the evidence of an approval on the ticket and in its write', () => {
    const { next, change } = approving(heldByAmara, 'ops-amara');
    expect(next.ticket.evidence).toEqual(evidence);
    expect(change.write).toMatchObject({ set: { status: 'approved', evidence } });
  });

  it('stores the evidence of a rejection when given, and none when not', () => {
    const given = rejecting(open, 'ops-bruno');
    expect(given.next.ticket.evidence).toEqual(evidence);
    expect(given.change.write).toMatchObject({ set: { status: 'rejected', note: 'no answer', evidence } });
    const without = rejecting(open, 'ops-bruno', false);
    expect(without.next.ticket).not.toHaveProperty('evidence');
    expect(without.change.write).not.toHaveProperty('set.evidence');
  });
});
