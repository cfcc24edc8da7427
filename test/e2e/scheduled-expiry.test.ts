// Issue #13 item 6 and #14 item 2, through the real local stack: the scheduled sweeper ends every invitation past its
// expiry, so a prospect's ticket is cancelled instead of waiting in the ops work list for a link nobody can use.
// A stack of its own, whose scheduled run the test makes at the time it chooses (only Date is faked, and only then).
import '../support/metrics-on.ts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newId } from '../../lib/domain/ids.ts';
import { send } from '../../lib/domain/invitation-lifecycle.ts';
import { newToken } from '../../lib/domain/token.ts';
import { businessMetrics } from '../../lib/metrics.ts';
import { newFirm, signedToken, tokenFor } from '../support/api.ts';
import { eventually, uniqueEmail } from '../support/mail.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';

let own: OwnStack;
beforeAll(async () => {
  own = await startOwnStack();
}, 120_000);
afterAll(async () => own?.stop());

const day = 24 * 60 * 60_000;
const minuteAfter = (iso: string) => new Date(Date.parse(iso) + 60_000);
const opsUser = () => signedToken({ 'cognito:groups': ['ops'], email: 'expiry@ops.test' }, 'ops-expiry');

/** One scheduled run as the schedule invokes it, with the clock at `at`: how many invitations it reports expired. */
const sweepAt = async (at: Date) => {
  const lines: string[] = [];
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => lines.push(String(chunk)) > 0);
  try {
    await own.stack.runScheduled();
  } finally {
    vi.restoreAllMocks();
    vi.useRealTimers();
  }
  const reported = lines.flatMap((chunk) => chunk.split('\n')).filter((line) => line.includes(businessMetrics.invitationsExpired));
  return reported.reduce((sum, line) => sum + Number((JSON.parse(line) as Record<string, unknown>)[businessMetrics.invitationsExpired]), 0);
};

interface Invited {
  invitationId: string;
  expiresAt: string;
  verification: { ticketId: string };
}

/** A new firm's advisor, a prospect household of theirs, and what they and ops see of it through the API. */
const prospects = async () => {
  const firmId = newFirm();
  const advisor = await tokenFor('advisor', firmId, { sub: 'advisor-expiry' });
  const ops = await opsUser();
  const created = await own.api('POST', '/households', { token: advisor, body: { name: 'Expiring Prospects' } });
  const householdId = created.body.household.householdId as string;
  const base = `/households/${householdId}/invitations`;
  const invite = (email: string, expiresInDays: number) =>
    own.api('POST', base, { token: advisor, body: { firstName: 'Pat', lastName: 'Expiry', email, expiresInDays } });
  return {
    firmId,
    householdId,
    invite,
    invited: async (email: string, expiresInDays: number) => (await invite(email, expiresInDays)).body.invitation as Invited,
    resend: (invitationId: string) => own.api('POST', `${base}/${invitationId}/resend`, { token: advisor }),
    statusOf: async (invitationId: string) =>
      ((await own.api('GET', base, { token: advisor })).body.items as { invitationId: string; status: string }[]).find((i) => i.invitationId === invitationId)?.status,
    openTickets: async () =>
      ((await own.api('GET', `/ops/tickets?status=open&firmId=${firmId}`, { token: ops })).body.items as { ticketId: string }[]).map((t) => t.ticketId),
    ticket: async (ticketId: string) => (await own.api('GET', `/ops/tickets/${ticketId}`, { token: ops })).body.ticket,
  };
};

describe('the scheduled expiry', () => {
  it("cancels an expired prospect's open ticket and frees the email; a resent invitation outlives its old expiry", async () => {
    const p = await prospects();
    const email = uniqueEmail('expiring');
    const expiring = await p.invited(email, 1);
    const resentOne = await p.invited(uniqueEmail('resent'), 1);
    const tickets = [expiring.verification.ticketId, resentOne.verification.ticketId];
    // Both raised by the ops function, and open in the ops work list.
    await eventually(async () => {
      const open = await p.openTickets();
      return tickets.every((id) => open.includes(id)) ? true : undefined;
    });

    const resent = await p.resend(resentOne.invitationId);
    expect(resent.status).toBe(200);
    const newExpiry = resent.body.invitation.expiresAt as string;
    expect(Date.parse(newExpiry) - Date.parse(resentOne.expiresAt)).toBeGreaterThan(5 * day);

    // A day passes: both first expiries are behind; the sweeper runs, as it does every minute.
    const oldExpiry = [expiring.expiresAt, resentOne.expiresAt].sort().at(-1)!;
    expect(await sweepAt(minuteAfter(oldExpiry))).toBe(1);

    expect(await p.statusOf(expiring.invitationId)).toBe('expired');
    const cancelled = await p.ticket(expiring.verification.ticketId);
    expect(cancelled).toMatchObject({ status: 'cancelled', note: 'invitation expired', decidedBy: 'portal-onboarding' });
    expect(cancelled.history.map((event: { action: string }) => event.action)).toEqual(['raised', 'cancelled']);
    expect(cancelled.history.at(-1)).toMatchObject({ action: 'cancelled', by: 'portal-onboarding' });
    expect(await p.openTickets()).not.toContain(expiring.verification.ticketId);
    // The resent invitation is not expired at its old expiry: it and its ticket wait on.
    expect(await p.statusOf(resentOne.invitationId)).toBe('sent');
    expect(await p.openTickets()).toContain(resentOne.verification.ticketId);
    // The email is free for a new invitation.
    const again = await p.invite(email, 30);
    expect(again.status).toBe(201);

    // Nothing is expired twice; the resent invitation goes at its own expiry (the new one, 30 days out, does not).
    expect(await sweepAt(minuteAfter(oldExpiry))).toBe(0);
    expect(await sweepAt(minuteAfter(newExpiry))).toBe(1);
    expect(await p.statusOf(resentOne.invitationId)).toBe('expired');
    expect(await p.ticket(resentOne.verification.ticketId)).toMatchObject({ status: 'cancelled', note: 'invitation expired' });
    expect(await p.statusOf(again.body.invitation.invitationId)).toBe('sent');
  }, 90_000);

  it("ends an expired invitation whose lock a new invitation took before the sweep, and leaves the new one's lock", async () => {
    const { dynamoHouseholds } = await import('../../lib/adapters/dynamodb/households.ts');
    const { dynamoInvitations } = await import('../../lib/adapters/dynamodb/invitations.ts');
    const p = await prospects();
    const email = uniqueEmail('taken-over');
    const first = await p.invited(email, 1);
    await eventually(async () => ((await p.openTickets()).includes(first.verification.ticketId) ? true : undefined));

    // Past its expiry and not yet swept: a new invitation to the same email takes its expired lock.
    const pastExpiry = minuteAfter(first.expiresAt);
    const household = (await dynamoHouseholds.get(p.firmId, p.householdId))!;
    const second = send({
      household,
      caller: { firmId: p.firmId, sub: 'advisor-expiry' },
      client: { firstName: 'Pat', lastName: 'Expiry', email },
      ids: { invitationId: newId(), ticketId: newId() },
      token: newToken(),
      expiresInDays: 7,
      now: pastExpiry,
    });
    await dynamoInvitations.create(second.change);

    expect(await sweepAt(minuteAfter(pastExpiry.toISOString()))).toBe(1);
    expect(await p.statusOf(first.invitationId)).toBe('expired');
    expect(await p.ticket(first.verification.ticketId)).toMatchObject({ status: 'cancelled', note: 'invitation expired' });
    // The new invitation still holds the email: ending the old one freed no lock it did not hold.
    expect(await dynamoInvitations.get(p.firmId, p.householdId, second.next.invitationId)).toMatchObject({ state: 'live' });
    expect((await p.invite(email, 7)).status).toBe(409);
  }, 90_000);
});
