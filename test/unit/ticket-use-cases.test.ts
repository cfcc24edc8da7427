// The ticket use cases against the in-memory stores: read, decide, persist, perform, with no service running.
// The same flows against the real local stack stay in test/e2e, test/api and test/faults.
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../lib/domain/token.ts';
import type { TicketStore } from '../../lib/domain/ports.ts';
import { claimTicket, releaseTicket } from '../../lib/use-cases/claim-ticket.ts';
import { approveVerification, rejectVerification } from '../../lib/use-cases/decide-ticket.ts';
import { raiseVerificationTicket } from '../../lib/use-cases/raise-verification-ticket.ts';
import { resendInvitation } from '../../lib/use-cases/resend-invitation.ts';
import { revokeInvitation } from '../../lib/use-cases/revoke-invitation.ts';
import { getTicket } from '../../lib/use-cases/review-tickets.ts';
import { firmCaller, minutesAfter, start } from '../support/memory/fixtures.ts';
import { amara, bruno, ops, opsInbox, raisedTicketSystem, ticketSystem } from '../support/memory/ticket-system.ts';

const evidence = { method: 'phone' as const, reference: 'called the number on file' };
const heldByOther = { code: 'conflict', message: 'Another member of the ops team has claimed this ticket' };

describe('raising a ticket from its request', () => {
  it('files it once and emails ops once however often the request comes, and then owes nothing', async () => {
    const s = await ticketSystem();
    expect(await raiseVerificationTicket(s.deps, s.request)).toBe('created');
    s.clock.now = minutesAfter(start, 5);
    expect(await raiseVerificationTicket(s.deps, s.request)).toBe('duplicate');
    expect(s.mailsTo(opsInbox)).toHaveLength(1);
    expect(s.mailsTo(opsInbox)[0]!.text).toContain(s.request.ticketId);
    expect(s.ticket()).toMatchObject({ status: 'open', notifiedAt: minutesAfter(start, 1).toISOString(), history: [{ action: 'raised', by: firmCaller.sub }] });
    expect(s.ticket()).not.toHaveProperty('notifyLeaseUntil');
    expect(s.memory.ticketRequests.has(s.request.ticketId)).toBe(false);
  });

  it('gives the lease back when SES refuses, so the next delivery emails ops at once', async () => {
    const s = await ticketSystem();
    s.clock.mailDown = true;
    await expect(raiseVerificationTicket(s.deps, s.request)).rejects.toThrow('SES refused');
    expect(s.ticket()).not.toHaveProperty('notifyLeaseUntil');
    expect(s.memory.ticketRequests.has(s.request.ticketId)).toBe(true);
    s.clock.mailDown = false;
    expect(await raiseVerificationTicket(s.deps, s.request)).toBe('duplicate');
    expect(s.mailsTo(opsInbox)).toHaveLength(1);
  });

  it('sends nothing with too little of the invocation left, and the next delivery sends it once', async () => {
    const s = await ticketSystem();
    s.clock.remainingMs = 3_000;
    await expect(raiseVerificationTicket(s.deps, s.request)).rejects.toThrow(/too little time/);
    expect(s.mails).toHaveLength(0);
    s.clock.remainingMs = 30_000;
    await raiseVerificationTicket(s.deps, s.request);
    expect(s.mailsTo(opsInbox)).toHaveLength(1);
  });

  it('files the request of a revoked invitation as cancelled, emails nobody and clears the outbox', async () => {
    const s = await ticketSystem();
    s.memory.invitations.set(`${s.request.firmId}#${s.request.householdId}#${s.request.invitationId}`, { ...s.stored(), state: 'revoked' });
    expect(await raiseVerificationTicket(s.deps, s.request)).toBe('cancelled');
    expect(s.ticket()).toMatchObject({ status: 'cancelled', note: 'invitation revoked', history: [{ action: 'raised' }, { action: 'cancelled' }] });
    expect(s.mails).toHaveLength(0);
    expect(s.memory.ticketRequests.has(s.request.ticketId)).toBe(false);
  });
});

describe('approving', () => {
  it('verifies the client and mails a fresh link that works, while the old one is dead', async () => {
    const s = await raisedTicketSystem();
    const oldHash = s.stored().tokenHash;
    const answer = await approveVerification(s.deps, ops, s.request.ticketId, { note: 'called the client', evidence });
    expect(answer).toMatchObject({ notification: 'sent', ticket: { status: 'approved', decidedBy: 'ops-1', note: 'called the client', evidence } });
    expect(answer.ticket.history?.map((event) => event.action)).toEqual(['raised', 'decided']);
    const [mail] = s.mailsTo(s.request.client.email);
    const token = s.tokenIn(mail!);
    expect(s.stored()).toMatchObject({ tokenHash: hashToken(token), delivery: 'sent', verification: { status: 'verified' } });
    expect(await s.memory.store.findByToken(hashToken(token))).toBeDefined();
    expect(await s.memory.store.findByToken(oldHash)).toBeUndefined();
    expect([...s.memory.locks.values()]).toEqual([{ invitationId: s.request.invitationId, until: s.stored().expiresAt }]);
    expect(s.memory.ticketRequests.has(s.request.ticketId)).toBe(false);
  });

  it('stands when SES refuses the client email: the invitation shows send_failed for the advisor to resend', async () => {
    const s = await raisedTicketSystem();
    s.clock.mailDown = true;
    expect(await approveVerification(s.deps, ops, s.request.ticketId, { evidence })).toMatchObject({ notification: 'send_failed', ticket: { status: 'approved' } });
    expect(s.stored()).toMatchObject({ delivery: 'failed', verification: { status: 'verified' } });
  });

  it('decides on what is there now when a resend changed the link between the read and the write', async () => {
    const s = await raisedTicketSystem();
    let resent = false;
    const invitations = {
      ...s.memory.store,
      async get(firmId: string, householdId: string, invitationId: string) {
        const copy = await s.memory.store.get(firmId, householdId, invitationId);
        if (!resent) {
          resent = true;
          await resendInvitation(s.deps, firmCaller, { householdId, invitationId });
        }
        return copy;
      },
    };
    expect((await approveVerification({ ...s.deps, invitations }, ops, s.request.ticketId, { evidence })).ticket.status).toBe('approved');
    expect(s.stored().verification.status).toBe('verified');
    const decisions = s.tickets.applied.filter(({ change }) => change.invitation !== undefined);
    expect(decisions.map(({ outcome }) => outcome)).toEqual([{ ok: false, failed: ['invitation'] }, { ok: true }]);
  });

  it('answers 409 when a revoke lands between the read and the write: the revoke cancelled the ticket', async () => {
    const s = await raisedTicketSystem();
    let revoked = false;
    const invitations = {
      ...s.memory.store,
      async get(firmId: string, householdId: string, invitationId: string) {
        const copy = await s.memory.store.get(firmId, householdId, invitationId);
        if (!revoked) {
          revoked = true;
          await revokeInvitation(s.deps, firmCaller, { householdId, invitationId });
        }
        return copy;
      },
    };
    await expect(approveVerification({ ...s.deps, invitations }, ops, s.request.ticketId, { evidence })).rejects.toMatchObject({
      code: 'conflict',
      message: 'This ticket is already cancelled',
    });
    expect(s.tickets.applied.at(-1)?.outcome).toEqual({ ok: false, failed: ['ticket'] });
    expect(s.stored().verification.status).toBe('pending_review');
  });
});

describe('rejecting', () => {
  it('rejects the verification and tells the inviting advisor why', async () => {
    const s = await raisedTicketSystem();
    expect(await rejectVerification(s.deps, ops, s.request.ticketId, { reason: 'no answer' })).toMatchObject({ notification: 'sent', ticket: { status: 'rejected', note: 'no answer' } });
    expect(s.mailsTo(firmCaller.email)[0]!.text).toContain('Reason: no answer');
    expect(s.stored().verification.status).toBe('rejected');
  });
});

describe('refusals', () => {
  it('never lets the person who raised a ticket decide it (403), and the ticket stays open', async () => {
    const s = await raisedTicketSystem();
    const maker = { ...ops, sub: firmCaller.sub };
    await expect(approveVerification(s.deps, maker, s.request.ticketId, { evidence })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(rejectVerification(s.deps, maker, s.request.ticketId, { reason: 'mine', evidence })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await getTicket(s.deps, ops, s.request.ticketId)).status).toBe('open');
  });

  it('decides a ticket once (409)', async () => {
    const s = await raisedTicketSystem();
    await approveVerification(s.deps, ops, s.request.ticketId, { evidence });
    await expect(rejectVerification(s.deps, { ...ops, sub: 'ops-2' }, s.request.ticketId, { reason: 'late' })).rejects.toMatchObject({
      code: 'conflict',
      message: 'This ticket is already approved',
    });
  });

  it('cancels the ticket of an invitation that expired instead of deciding it, and answers 409', async () => {
    const s = await raisedTicketSystem();
    s.clock.now = new Date(Date.parse(s.stored().expiresAt) + 1);
    await expect(approveVerification(s.deps, ops, s.request.ticketId, { evidence })).rejects.toMatchObject({
      code: 'conflict',
      message: 'This ticket is now cancelled: invitation expired',
    });
    expect(s.ticket()).toMatchObject({ status: 'cancelled', decidedBy: 'ops-1', note: 'invitation expired' });
    expect(s.mailsTo(s.request.client.email)).toHaveLength(0);
  });
});


describe('claiming', () => {
  it('gives the ticket to one of two ops users claiming it at once; the other gets 409', async () => {
    const s = await raisedTicketSystem();
    const before = s.tickets.applied.length;
    const [first, second] = await Promise.allSettled([claimTicket(s.deps, amara, s.request.ticketId), claimTicket(s.deps, bruno, s.request.ticketId)]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { assignee: 'ops-amara' } });
    expect(second).toMatchObject({ status: 'rejected', reason: heldByOther });
    // Both read it unclaimed: the store's condition, not the read, turned the second away.
    expect(s.tickets.applied.slice(before).map(({ outcome }) => outcome)).toEqual([{ ok: true }, { ok: false, failed: ['ticket'] }]);
    expect(s.ticket()).toMatchObject({ assignee: 'ops-amara', assignedAt: minutesAfter(start, 30).toISOString() });
    expect(s.ticket()?.history?.map((event) => event.action)).toEqual(['raised', 'claimed']);
  });

  it('answers a repeated claim with the ticket, unchanged, and lets only the assignee release it', async () => {
    const s = await raisedTicketSystem();
    await claimTicket(s.deps, amara, s.request.ticketId);
    expect(await claimTicket(s.deps, amara, s.request.ticketId)).toMatchObject({ assignee: 'ops-amara' });
    await expect(releaseTicket(s.deps, bruno, s.request.ticketId)).rejects.toMatchObject(heldByOther);
    expect(await releaseTicket(s.deps, amara, s.request.ticketId)).not.toHaveProperty('assignee');
    expect(s.ticket()?.history?.map((event) => event.action)).toEqual(['raised', 'claimed', 'released']);
    expect(await claimTicket(s.deps, bruno, s.request.ticketId)).toMatchObject({ assignee: 'ops-bruno' });
  });

  it('answers 404 for a ticket nobody filed', async () => {
    const s = await raisedTicketSystem();
    await expect(claimTicket(s.deps, amara, '01890f6e-6a3b-7c2d-8e4f-1a2b3c4d5e6f')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('deciding a claimed ticket', () => {
  it('answers 409 to an ops user deciding a ticket someone else claimed, and changes nothing', async () => {
    const s = await raisedTicketSystem();
    await claimTicket(s.deps, amara, s.request.ticketId);
    await expect(approveVerification(s.deps, bruno, s.request.ticketId, { evidence })).rejects.toMatchObject(heldByOther);
    await expect(rejectVerification(s.deps, bruno, s.request.ticketId, { reason: 'no answer' })).rejects.toMatchObject(heldByOther);
    expect(s.ticket()).toMatchObject({ status: 'open', assignee: 'ops-amara' });
    expect(s.stored().verification.status).toBe('pending_review');
    expect(s.mails).toHaveLength(0);
  });

  it('answers 409 when someone claims the ticket between the read and the write of a decision', async () => {
    const s = await raisedTicketSystem();
    let claimed = false;
    const tickets: TicketStore = {
      ...s.tickets.store,
      async get(ticketId) {
        const copy = await s.tickets.store.get(ticketId);
        if (!claimed) {
          claimed = true;
          await claimTicket(s.deps, amara, ticketId);
        }
        return copy;
      },
    };
    await expect(approveVerification({ ...s.deps, tickets }, bruno, s.request.ticketId, { evidence })).rejects.toMatchObject(heldByOther);
    expect(s.tickets.applied.filter(({ change }) => change.invitation !== undefined).map(({ outcome }) => outcome)).toEqual([{ ok: false, failed: ['ticket'] }]);
    expect(s.ticket()).toMatchObject({ status: 'open', assignee: 'ops-amara' });
    expect(s.stored().verification.status).toBe('pending_review');
  });

  it('lets the assignee approve, with the evidence stored and the whole history kept', async () => {
    const s = await raisedTicketSystem();
    await claimTicket(s.deps, amara, s.request.ticketId);
    const answer = await approveVerification(s.deps, amara, s.request.ticketId, { evidence });
    expect(answer.ticket).toMatchObject({ status: 'approved', decidedBy: 'ops-amara', assignee: 'ops-amara', evidence });
    expect(answer.ticket.history?.map((event) => [event.action, event.by])).toEqual([
      ['raised', firmCaller.sub],
      ['claimed', 'ops-amara'],
      ['decided', 'ops-amara'],
    ]);
    expect(s.ticket()).toMatchObject({ status: 'approved', evidence });
    expect(s.stored().verification.status).toBe('verified');
    await expect(releaseTicket(s.deps, amara, s.request.ticketId)).rejects.toMatchObject({ code: 'conflict', message: 'This ticket is already approved' });
  });

  it('lets the assignee reject, with evidence when given', async () => {
    const s = await raisedTicketSystem();
    await claimTicket(s.deps, bruno, s.request.ticketId);
    const answer = await rejectVerification(s.deps, bruno, s.request.ticketId, { reason: 'no answer', evidence: { method: 'video' } });
    expect(answer.ticket).toMatchObject({ status: 'rejected', decidedBy: 'ops-bruno', note: 'no answer', evidence: { method: 'video' } });
  });
});
