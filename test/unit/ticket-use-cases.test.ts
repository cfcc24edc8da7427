// The ticket use cases against the in-memory stores: read, decide, persist, perform, with no service running.
// The same flows against the real local stack stay in test/e2e, test/api and test/faults.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/domain/errors.ts';
import type { Caller, OutgoingEmail } from '../../lib/domain/ports.ts';
import { hashToken } from '../../lib/domain/token.ts';
import type { TicketRequest } from '../../lib/schemas/invitations.ts';
import { approveVerification, rejectVerification } from '../../lib/use-cases/decide-ticket.ts';
import { raiseVerificationTicket } from '../../lib/use-cases/raise-verification-ticket.ts';
import { resendInvitation } from '../../lib/use-cases/resend-invitation.ts';
import { revokeInvitation } from '../../lib/use-cases/revoke-invitation.ts';
import { getTicket } from '../../lib/use-cases/review-tickets.ts';
import { firmCaller, minutesAfter, sent, start } from '../support/memory/fixtures.ts';
import { memoryInvitations } from '../support/memory/invitations.ts';
import { memoryTickets } from '../support/memory/tickets-memory.ts';

const opsInbox = 'ops@platform.test';
const ops: Caller = { firmId: firmCaller.firmId, sub: 'ops-1', groups: ['ops'] };

/** A prospect invited, its ticket request owed, and every port in memory; `mailDown` makes SES refuse. */
const system = async () => {
  const memory = memoryInvitations();
  const tickets = memoryTickets(memory);
  const invited = sent({ prospect: true });
  await memory.store.create(invited.change);
  const request = (invited.change.ticketRequest as { owe: TicketRequest }).owe;
  const mails: OutgoingEmail[] = [];
  const clock = { now: minutesAfter(start, 1), mailDown: false, remainingMs: 30_000 };
  const deps = {
    tickets: tickets.store,
    invitations: memory.store,
    mailer: {
      send: async (email: OutgoingEmail) => {
        if (clock.mailDown) throw new AppError('email_send_failed', 'SES refused');
        mails.push(email);
      },
    },
    opsEmail: () => opsInbox,
    portalUrl: () => 'https://portal.test',
    expiryDays: () => 7,
    now: () => clock.now,
    remainingMs: () => clock.remainingMs,
  };
  const mailsTo = (to: string) => mails.filter((mail) => mail.to === to);
  const tokenIn = (mail: OutgoingEmail) => mail.text.match(/\/invite\/([\w-]+)/)![1]!;
  const stored = () => memory.invitations.get(`${request.firmId}#${request.householdId}#${request.invitationId}`)!;
  const ticket = () => memory.tickets.get(request.ticketId);
  return { memory, tickets, request, mails, clock, deps, mailsTo, tokenIn, stored, ticket };
};

/** A system whose ticket was raised and ops emailed, half an hour ago. */
const raisedSystem = async () => {
  const s = await system();
  await raiseVerificationTicket(s.deps, s.request);
  s.clock.now = minutesAfter(start, 30);
  s.mails.length = 0;
  return s;
};

describe('raising a ticket from its request', () => {
  it('files it once and emails ops once however often the request comes, and then owes nothing', async () => {
    const s = await system();
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
    const s = await system();
    s.clock.mailDown = true;
    await expect(raiseVerificationTicket(s.deps, s.request)).rejects.toThrow('SES refused');
    expect(s.ticket()).not.toHaveProperty('notifyLeaseUntil');
    expect(s.memory.ticketRequests.has(s.request.ticketId)).toBe(true);
    s.clock.mailDown = false;
    expect(await raiseVerificationTicket(s.deps, s.request)).toBe('duplicate');
    expect(s.mailsTo(opsInbox)).toHaveLength(1);
  });

  it('sends nothing with too little of the invocation left, and the next delivery sends it once', async () => {
    const s = await system();
    s.clock.remainingMs = 3_000;
    await expect(raiseVerificationTicket(s.deps, s.request)).rejects.toThrow(/too little time/);
    expect(s.mails).toHaveLength(0);
    s.clock.remainingMs = 30_000;
    await raiseVerificationTicket(s.deps, s.request);
    expect(s.mailsTo(opsInbox)).toHaveLength(1);
  });

  it('files the request of a revoked invitation as cancelled, emails nobody and clears the outbox', async () => {
    const s = await system();
    s.memory.invitations.set(`${s.request.firmId}#${s.request.householdId}#${s.request.invitationId}`, { ...s.stored(), state: 'revoked' });
    expect(await raiseVerificationTicket(s.deps, s.request)).toBe('cancelled');
    expect(s.ticket()).toMatchObject({ status: 'cancelled', note: 'invitation revoked', history: [{ action: 'raised' }, { action: 'cancelled' }] });
    expect(s.mails).toHaveLength(0);
    expect(s.memory.ticketRequests.has(s.request.ticketId)).toBe(false);
  });
});

describe('approving', () => {
  it('verifies the client and mails a fresh link that works, while the old one is dead', async () => {
    const s = await raisedSystem();
    const oldHash = s.stored().tokenHash;
    const answer = await approveVerification(s.deps, ops, s.request.ticketId, 'called the client');
    expect(answer).toMatchObject({ notification: 'sent', ticket: { status: 'approved', decidedBy: 'ops-1', note: 'called the client' } });
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
    const s = await raisedSystem();
    s.clock.mailDown = true;
    expect(await approveVerification(s.deps, ops, s.request.ticketId, undefined)).toMatchObject({ notification: 'send_failed', ticket: { status: 'approved' } });
    expect(s.stored()).toMatchObject({ delivery: 'failed', verification: { status: 'verified' } });
  });

  it('decides on what is there now when a resend changed the link between the read and the write', async () => {
    const s = await raisedSystem();
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
    expect((await approveVerification({ ...s.deps, invitations }, ops, s.request.ticketId, undefined)).ticket.status).toBe('approved');
    expect(s.stored().verification.status).toBe('verified');
    const decisions = s.tickets.applied.filter(({ change }) => change.invitation !== undefined);
    expect(decisions.map(({ outcome }) => outcome)).toEqual([{ ok: false, failed: ['invitation'] }, { ok: true }]);
  });

  it('answers 409 when a revoke lands between the read and the write: the revoke cancelled the ticket', async () => {
    const s = await raisedSystem();
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
    await expect(approveVerification({ ...s.deps, invitations }, ops, s.request.ticketId, undefined)).rejects.toMatchObject({
      code: 'conflict',
      message: 'This ticket is already cancelled',
    });
    expect(s.tickets.applied.at(-1)?.outcome).toEqual({ ok: false, failed: ['ticket'] });
    expect(s.stored().verification.status).toBe('pending_review');
  });
});

describe('rejecting', () => {
  it('rejects the verification and tells the inviting advisor why', async () => {
    const s = await raisedSystem();
    expect(await rejectVerification(s.deps, ops, s.request.ticketId, 'no answer')).toMatchObject({ notification: 'sent', ticket: { status: 'rejected', note: 'no answer' } });
    expect(s.mailsTo(firmCaller.email)[0]!.text).toContain('Reason: no answer');
    expect(s.stored().verification.status).toBe('rejected');
  });
});

describe('refusals', () => {
  it('never lets the person who raised a ticket decide it (403), and the ticket stays open', async () => {
    const s = await raisedSystem();
    const maker = { ...ops, sub: firmCaller.sub };
    await expect(approveVerification(s.deps, maker, s.request.ticketId, undefined)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(rejectVerification(s.deps, maker, s.request.ticketId, 'mine')).rejects.toMatchObject({ code: 'forbidden' });
    expect((await getTicket(s.deps, ops, s.request.ticketId)).status).toBe('open');
  });

  it('decides a ticket once (409)', async () => {
    const s = await raisedSystem();
    await approveVerification(s.deps, ops, s.request.ticketId, undefined);
    await expect(rejectVerification(s.deps, { ...ops, sub: 'ops-2' }, s.request.ticketId, 'late')).rejects.toMatchObject({
      code: 'conflict',
      message: 'This ticket is already approved',
    });
  });

  it('cancels the ticket of an invitation that expired instead of deciding it, and answers 409', async () => {
    const s = await raisedSystem();
    s.clock.now = new Date(Date.parse(s.stored().expiresAt) + 1);
    await expect(approveVerification(s.deps, ops, s.request.ticketId, undefined)).rejects.toMatchObject({
      code: 'conflict',
      message: 'This ticket is now cancelled: invitation expired',
    });
    expect(s.ticket()).toMatchObject({ status: 'cancelled', decidedBy: 'ops-1', note: 'invitation expired' });
    expect(s.mailsTo(s.request.client.email)).toHaveLength(0);
  });

  it('answers 404 for a ticket of another firm', async () => {
    const s = await raisedSystem();
    await expect(approveVerification(s.deps, { ...ops, firmId: 'firm-b' }, s.request.ticketId, undefined)).rejects.toMatchObject({ code: 'not_found' });
  });
});

