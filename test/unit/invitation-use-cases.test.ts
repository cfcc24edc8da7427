// The invitation use cases against the in-memory store: read, decide, persist, perform, with no service running.
// The same flows against the real local stack stay in test/e2e and test/faults.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/domain/errors.ts';
import type { Invitation } from '../../lib/domain/invitation.ts';
import type { HouseholdStore, OutgoingEmail, RequestMarker } from '../../lib/domain/ports.ts';
import type { TicketRequest } from '../../lib/schemas/invitations.ts';
import { acceptInvitation } from '../../lib/use-cases/accept-invitation.ts';
import { resendInvitation } from '../../lib/use-cases/resend-invitation.ts';
import { revokeInvitation } from '../../lib/use-cases/revoke-invitation.ts';
import { sendInvitation } from '../../lib/use-cases/send-invitation.ts';
import { verifyIdentity } from '../../lib/use-cases/verify-identity.ts';
import { viewInvitation } from '../../lib/use-cases/view-invitation.ts';
import { clientHousehold, firmCaller, minutesAfter, prospectHousehold, start } from '../support/memory/fixtures.ts';
import { memoryInvitations } from '../support/memory/invitations.ts';

/** Everything a use case may need, in memory; `mailDown` makes SES refuse. */
const system = () => {
  const memory = memoryInvitations();
  const mails: OutgoingEmail[] = [];
  const queued: TicketRequest[] = [];
  const clock = { now: start, mailDown: false };
  const households = { get: async (_firm: string, id: string) => [prospectHousehold, clientHousehold].find((h) => h.householdId === id) };
  const deps = {
    invitations: memory.store,
    households: households as unknown as HouseholdStore,
    mailer: {
      send: async (email: OutgoingEmail) => {
        if (clock.mailDown) throw new AppError('email_send_failed', 'SES refused');
        mails.push(email);
      },
    },
    ticketQueue: { send: async (requests: TicketRequest[]) => void queued.push(...requests) },
    hasher: { hash: async () => '', hashesToMatch: async (_firm: string, number: string) => [`hash-of-${number}`] },
    portalUrl: () => 'https://portal.test',
    expiryDays: () => 7,
    now: () => clock.now,
    requestId: 'request-1',
  };
  const tokenTo = (address: string) => [...mails].reverse().find((mail) => mail.to === address)?.text.match(/\/invite\/([\w-]+)/)?.[1];
  const invite = async (household = clientHousehold, email = 'ann@example.com', marker?: RequestMarker) =>
    sendInvitation(deps, firmCaller, household.householdId, { firstName: 'Ann', lastName: 'Lee', email }, marker);
  const stored = (id: string) => [...memory.invitations.values()].find((i) => i.invitationId === id) as Invitation;
  return { memory, mails, queued, clock, deps, tokenTo, invite, stored };
};

const ids = (view: { invitationId: string }, household = clientHousehold) => ({ householdId: household.householdId, invitationId: view.invitationId });

describe('sending', () => {
  it("emails the link and queues a prospect's ticket request, which stays owed until ops are emailed", async () => {
    const s = system();
    const view = await s.invite(prospectHousehold);
    expect(view).toMatchObject({ status: 'sent', verification: { method: 'manual', status: 'pending_review' } });
    expect(s.queued).toEqual([expect.objectContaining({ ticketId: view.verification.ticketId, reason: 'no_account' })]);
    expect(s.memory.ticketRequests.has(view.verification.ticketId!)).toBe(true);
    expect((await viewInvitation(s.deps, s.tokenTo('ann@example.com')!)).status).toBe('sent');
    await expect(s.invite(prospectHousehold)).rejects.toMatchObject({ code: 'conflict', message: /Another live invitation/ });
  });

  it('answers 502 when SES refuses, leaving a send_failed invitation to resend', async () => {
    const s = system();
    s.clock.mailDown = true;
    const failed = await s.invite().catch((error: AppError) => error);
    expect(failed).toMatchObject({ code: 'email_send_failed' });
    const invitationId = (failed as AppError).details[0]!.invitationId as string;
    expect(s.stored(invitationId).delivery).toBe('failed');
    expect(s.memory.emailsOwed.size).toBe(0);
  });

  it('sends, once, the email of an earlier attempt whose answer was lost before anything was emailed', async () => {
    const s = system();
    const marker = {} as RequestMarker;
    s.clock.mailDown = true;
    // The first attempt saved and died before SES answered: nothing recorded, the email still owed.
    await s.invite(clientHousehold, 'ann@example.com', marker).catch(() => undefined);
    const [saved] = s.memory.invitations.values();
    s.memory.invitations.set([...s.memory.invitations.keys()][0]!, { ...saved!, delivery: 'pending' });
    s.clock.mailDown = false;
    const retry = await s.invite(clientHousehold, 'ann@example.com', marker);
    expect(retry).toMatchObject({ invitationId: saved!.invitationId, status: 'sent' });
    expect(s.mails).toHaveLength(1);
    expect((await viewInvitation(s.deps, s.tokenTo('ann@example.com')!)).status).toBe('sent');
    expect((await s.invite(clientHousehold, 'ann@example.com', marker)).invitationId).toBe(saved!.invitationId);
    expect(s.mails).toHaveLength(1);
  });
});

describe('resending', () => {
  it('kills the old link and mails a new one, at most five emails a day', async () => {
    const s = system();
    const view = await s.invite();
    const first = s.tokenTo('ann@example.com')!;
    for (let i = 1; i <= 4; i += 1) {
      s.clock.now = minutesAfter(start, i);
      await resendInvitation(s.deps, firmCaller, ids(view));
    }
    await expect(viewInvitation(s.deps, first)).rejects.toMatchObject({ code: 'not_found' });
    expect((await viewInvitation(s.deps, s.tokenTo('ann@example.com')!)).status).toBe('sent');
    await expect(resendInvitation(s.deps, firmCaller, ids(view))).rejects.toMatchObject({ code: 'rate_limited' });
    expect(s.mails).toHaveLength(5);
  });

  it('refuses a revoked invitation', async () => {
    const s = system();
    const view = await s.invite();
    await revokeInvitation(s.deps, firmCaller, ids(view));
    await expect(resendInvitation(s.deps, firmCaller, ids(view))).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('revoking', () => {
  it("kills the link, frees the email and cancels the prospect's ticket with its request", async () => {
    const s = system();
    const view = await s.invite(prospectHousehold);
    const revoked = await revokeInvitation(s.deps, firmCaller, ids(view, prospectHousehold));
    expect(revoked.status).toBe('revoked');
    const ticketId = view.verification.ticketId!;
    expect(s.memory.tickets.get(ticketId)).toMatchObject({ status: 'cancelled', note: 'invitation revoked', decidedBy: firmCaller.sub });
    expect(s.memory.ticketRequests.has(ticketId)).toBe(false);
    expect(s.memory.locks.size).toBe(0);
    expect((await s.invite(prospectHousehold)).status).toBe('sent');
  });

  it("reads again when the lock lands between revoke's read and its write, and cancels the lock's ticket", async () => {
    const s = system();
    const view = await s.invite();
    const token = s.tokenTo('ann@example.com')!;
    for (let i = 0; i < 4; i += 1) await expect(verifyIdentity(s.deps, token, `1000000${i}`)).rejects.toMatchObject({ code: 'invalid_account_number' });
    let locked = false;
    const invitations = {
      ...s.memory.store,
      async get(firmId: string, householdId: string, invitationId: string) {
        const copy = await s.memory.store.get(firmId, householdId, invitationId);
        if (!locked) {
          locked = true;
          await expect(verifyIdentity(s.deps, token, '10000009')).rejects.toMatchObject({ code: 'locked' });
        }
        return copy;
      },
    };
    expect((await revokeInvitation({ ...s.deps, invitations }, firmCaller, ids(view))).status).toBe('revoked');
    const { ticketId } = s.stored(view.invitationId).verification;
    expect(s.memory.tickets.get(ticketId!)).toMatchObject({ status: 'cancelled', reason: 'verification_locked' });
    expect(s.memory.ticketRequests.size).toBe(0);
  });
});

describe('verifying and accepting', () => {
  it('locks after the fifth wrong number and raises the ticket; the right number is then refused', async () => {
    const s = system();
    const view = await s.invite();
    const token = s.tokenTo('ann@example.com')!;
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await verifyIdentity(s.deps, token, `9000000${i}`).catch((error: AppError) => error.code));
    expect(answers).toEqual(['invalid_account_number', 'invalid_account_number', 'invalid_account_number', 'invalid_account_number', 'locked']);
    const { ticketId, status, wrongAttempts } = s.stored(view.invitationId).verification;
    expect({ status, wrongAttempts }).toEqual({ status: 'locked', wrongAttempts: 5 });
    expect(s.queued).toEqual([expect.objectContaining({ ticketId, reason: 'verification_locked' })]);
    expect(s.memory.ticketRequests.has(ticketId!)).toBe(true);
    await expect(verifyIdentity(s.deps, token, '12345678')).rejects.toMatchObject({ code: 'locked' });
    await expect(acceptInvitation(s.deps, token)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('verifies the right number, accepts once and frees the email, the link still showing its done page', async () => {
    const s = system();
    const view = await s.invite();
    const token = s.tokenTo('ann@example.com')!;
    await expect(acceptInvitation(s.deps, token)).rejects.toMatchObject({ code: 'conflict', message: /verified before/ });
    expect((await verifyIdentity(s.deps, token, '12345678')).verification.status).toBe('verified');
    expect((await verifyIdentity(s.deps, token, '12345678')).verification.status).toBe('verified');
    expect(s.stored(view.invitationId).verification.wrongAttempts).toBe(1);
    expect(await acceptInvitation(s.deps, token)).toEqual({ status: 'active', householdId: clientHousehold.householdId });
    await expect(acceptInvitation(s.deps, token)).rejects.toMatchObject({ code: 'conflict', message: /already been accepted/ });
    expect((await viewInvitation(s.deps, token)).status).toBe('accepted');
    expect(s.memory.locks.size).toBe(0);
  });

  it('verifies 20 right numbers sent at once: five compare, the rest answer from what they settle into', async () => {
    const s = system();
    const view = await s.invite();
    const token = s.tokenTo('ann@example.com')!;
    const answers = await Promise.all(Array.from({ length: 20 }, () => verifyIdentity(s.deps, token, '12345678').then((v) => v.verification.status)));
    expect(answers).toEqual(Array(20).fill('verified'));
    expect(s.stored(view.invitationId).verification.wrongAttempts).toBeLessThanOrEqual(5);
  });

  it('locks attempts a crashed request left spent, once no compare can still be under way', async () => {
    const s = system();
    const view = await s.invite();
    const token = s.tokenTo('ann@example.com')!;
    const key = [...s.memory.invitations.keys()][0]!;
    const spent = s.stored(view.invitationId);
    s.memory.invitations.set(key, { ...spent, updatedAt: start.toISOString(), verification: { ...spent.verification, wrongAttempts: 5 } });
    await expect(verifyIdentity(s.deps, token, '12345678')).rejects.toMatchObject({ code: 'conflict' });
    expect(s.stored(view.invitationId).verification.status).toBe('not_started');
    s.clock.now = minutesAfter(start, 1);
    await expect(verifyIdentity(s.deps, token, '12345678')).rejects.toMatchObject({ code: 'locked' });
    expect(s.stored(view.invitationId).verification.status).toBe('locked');
    expect(s.queued).toEqual([expect.objectContaining({ reason: 'verification_locked' })]);
  });

  it('refuses an expired link like an unknown one', async () => {
    const s = system();
    await s.invite();
    const token = s.tokenTo('ann@example.com')!;
    s.clock.now = minutesAfter(start, 8 * 24 * 60);
    await expect(verifyIdentity(s.deps, token, '12345678')).rejects.toMatchObject({ code: 'not_found' });
    await expect(acceptInvitation(s.deps, token)).rejects.toMatchObject({ code: 'not_found' });
  });
});
