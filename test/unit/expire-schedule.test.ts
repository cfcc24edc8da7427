// Issue #13 item 6 / #14 item 2: the sweeper ends every invitation past its expiry, so its open ticket is cancelled
// rather than left in the ops work list. The use case against the in-memory store, whose expiry schedule is kept as
// the table keeps it: one entry per current link, under its invitation's expiry, until the link is retired.
import { describe, expect, it, vi } from 'vitest';
import type { Invitation } from '../../lib/domain/invitation.ts';
import type { InvitationKey } from '../../lib/domain/invitation-change.ts';
import { accept, revoke, resend, send } from '../../lib/domain/invitation-lifecycle.ts';
import { lock } from '../../lib/domain/invitation-verification.ts';
import { newId } from '../../lib/domain/ids.ts';
import type { ExpiringLink, InvitationStore } from '../../lib/domain/ports.ts';
import { newToken } from '../../lib/domain/token.ts';
import { businessMetrics, metrics } from '../../lib/metrics.ts';
import { expireInvitations } from '../../lib/use-cases/expire-invitations.ts';
import { firmCaller, minutesAfter, prospectHousehold, sent, start } from '../support/memory/fixtures.ts';
import { memoryInvitations, type MemoryInvitations } from '../support/memory/invitations.ts';

const idOf = (key: InvitationKey) => `${key.firmId}#${key.householdId}#${key.invitationId}`;
/** A run that did nothing. */
const none = { expired: 0, reminded: 0, rescheduled: 0, missed: 0, unscheduled: 0, skipped: 0, failed: 0 };

/** The schedule as the table keeps it (lib/adapters/dynamodb/expiring.ts): each current link, by its expiry, due before `now`. */
const scheduleOf = (memory: MemoryInvitations) => {
  const unscheduled = new Set<string>();
  const entries = (): ExpiringLink[] =>
    [...memory.links.entries()]
      .filter(([tokenHash]) => !unscheduled.has(tokenHash))
      .map(([tokenHash, key]) => {
        const { expiresAt } = memory.invitations.get(idOf(key))!;
        return { ...key, tokenHash, expiresAt, sortKey: `${expiresAt}#${key.invitationId}`, dueAt: expiresAt };
      })
      .sort((a, b) => a.sortKey.localeCompare(b.sortKey));
  return {
    entries,
    expiring: async (now: string, limit: number) => entries().filter((entry) => entry.sortKey < now).slice(0, limit),
    // Every entry here is filed under its expiry (reminders: invitation-reminders.test.ts), so none is ever moved there.
    fileUnderExpiry: async () => false,
    // Only the entry as read: a link since retired has no entry to take out.
    unschedule: async (link: ExpiringLink) => {
      if (entries().some((entry) => entry.tokenHash === link.tokenHash && entry.sortKey === link.sortKey)) unscheduled.add(link.tokenHash);
    },
  };
};

/** A store, its schedule and a clock; `invitations` may be swapped for one that lets another change land mid-run. */
const system = () => {
  const memory = memoryInvitations();
  const schedule = scheduleOf(memory);
  const clock = { now: start, remainingMs: 30_000 };
  const deps = {
    outbox: schedule,
    invitations: memory.store as Pick<InvitationStore, 'get' | 'apply'>,
    now: () => clock.now,
    remainingMs: () => clock.remainingMs,
    mailer: { send: async () => {} },
    requestId: 'sweep-run-1',
  };
  const invite = async (options: Parameters<typeof sent>[0] = {}) => {
    const invited = sent({ prospect: true, expiresInDays: 1, now: clock.now, ...options });
    await memory.store.create(invited.change);
    return invited.next;
  };
  const stored = (invitation: Invitation) => memory.invitations.get(idOf(invitation))!;
  const ticketOf = (invitation: Invitation) => memory.tickets.get(invitation.verification.ticketId!);
  const lockOf = (invitation: Invitation) => memory.locks.get(`${invitation.firmId}#${invitation.householdId}#${invitation.email}`);
  const pastExpiryOf = (invitation: Invitation) => {
    clock.now = new Date(Date.parse(invitation.expiresAt) + 60_000);
    return clock.now;
  };
  return { memory, schedule, clock, deps, invite, stored, ticketOf, lockOf, pastExpiryOf };
};

/** The business metrics recorded while `work` runs, as the function's observability flushes them. */
const metricsOf = async (work: () => Promise<unknown>) => {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => lines.push(String(chunk)) > 0);
  try {
    await work();
  } finally {
    metrics.publishStoredMetrics();
    vi.restoreAllMocks();
  }
  return lines.flatMap((chunk) => chunk.split('\n')).filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as Record<string, unknown>)[0] ?? {};
};

describe('the scheduled expiry', () => {
  it("ends a prospect's invitation past its expiry: ticket cancelled with its reason, link dead, email free, counted", async () => {
    const s = system();
    const invitation = await s.invite();
    const at = s.pastExpiryOf(invitation);

    const figures = await metricsOf(async () => expect(await expireInvitations(s.deps)).toEqual({ ...none, expired: 1 }));

    expect(s.stored(invitation)).toMatchObject({ state: 'expired', expiredAt: at.toISOString() });
    expect(s.ticketOf(invitation)).toMatchObject({ status: 'cancelled', note: 'invitation expired', decidedBy: 'portal-onboarding' });
    expect(s.ticketOf(invitation)?.history?.at(-1)).toEqual({ action: 'cancelled', by: 'portal-onboarding', at: at.toISOString() });
    expect(s.memory.ticketRequests.has(invitation.verification.ticketId!)).toBe(false);
    expect(s.memory.links.has(invitation.tokenHash)).toBe(false);
    expect(s.lockOf(invitation)).toBeUndefined();
    expect(s.schedule.entries()).toEqual([]);
    expect(figures).toMatchObject({ [businessMetrics.invitationsExpired]: 1, [businessMetrics.ticketsCancelled]: 1 });
    // The email may be invited again at once.
    await s.invite();
  });

  it('leaves an invitation alone until its expiry has passed, and expires it once, however often it runs', async () => {
    const s = system();
    const invitation = await s.invite();
    s.clock.now = new Date(Date.parse(invitation.expiresAt) - 1);
    expect(await expireInvitations(s.deps)).toMatchObject({ expired: 0 });
    expect(s.stored(invitation).state).toBe('live');
    s.pastExpiryOf(invitation);
    expect(await expireInvitations(s.deps)).toMatchObject({ expired: 1 });
    expect(await expireInvitations(s.deps)).toEqual(none);
  });

  it('does not expire a resent invitation at its old expiry, only at its new one', async () => {
    const s = system();
    const invitation = await s.invite();
    const resent = resend(invitation, { token: newToken(), expiresInDays: 7 }, minutesAfter(start, 60));
    expect(await s.memory.store.apply(resent.change)).toEqual({ ok: true });
    s.pastExpiryOf(invitation);
    expect(await expireInvitations(s.deps)).toMatchObject({ expired: 0 });
    expect(s.stored(invitation).state).toBe('live');
    expect(s.ticketOf(invitation)).toBeUndefined();
    s.pastExpiryOf(resent.next);
    expect(await expireInvitations(s.deps)).toMatchObject({ expired: 1 });
    expect(s.ticketOf(invitation)).toMatchObject({ status: 'cancelled', note: 'invitation expired' });
  });

  it('cancels the ticket of an invitation whose self-service locked, as it waits for ops too', async () => {
    const s = system();
    const client = await s.invite({ prospect: false });
    const spent = { ...client, verification: { ...client.verification, wrongAttempts: 5 } };
    s.memory.invitations.set(idOf(client), spent);
    const locked = lock(spent, newId(), minutesAfter(start, 5));
    expect(await s.memory.store.apply(locked.change)).toEqual({ ok: true });
    s.pastExpiryOf(client);
    expect(await expireInvitations(s.deps)).toMatchObject({ expired: 1 });
    expect(s.ticketOf(s.stored(client))).toMatchObject({ status: 'cancelled', reason: 'verification_locked', note: 'invitation expired' });
  });

  it('still ends an invitation whose expired lock a new invitation to the same email took before the sweep', async () => {
    const s = system();
    const first = await s.invite({ email: 'sam@example.com' });
    s.pastExpiryOf(first);
    // Not yet swept: its lock has expired, so a new invitation may take it (invitation-items.ts lockPut).
    const second = send({
      household: prospectHousehold,
      caller: firmCaller,
      client: { firstName: 'Sam', lastName: 'Lee', email: 'sam@example.com' },
      ids: { invitationId: newId(), ticketId: newId() },
      token: newToken(),
      expiresInDays: 7,
      now: s.clock.now,
    });
    await s.memory.store.create(second.change);

    expect(await expireInvitations(s.deps)).toMatchObject({ expired: 1 });
    expect(s.stored(first).state).toBe('expired');
    expect(s.ticketOf(first)).toMatchObject({ status: 'cancelled', note: 'invitation expired' });
    // The new invitation keeps the lock: freeing it is only ever done by the invitation holding it.
    expect(s.lockOf(first)).toMatchObject({ invitationId: second.next.invitationId });
    expect(s.stored(second.next).state).toBe('live');
  });

  it('takes an accepted invitation out of the schedule when it comes due, and leaves it accepted', async () => {
    const s = system();
    const client = await s.invite({ prospect: false });
    s.memory.invitations.set(idOf(client), { ...client, verification: { ...client.verification, status: 'verified' } });
    expect(await s.memory.store.apply(accept(s.stored(client), minutesAfter(start, 10)).change)).toEqual({ ok: true });
    expect(s.schedule.entries()).toHaveLength(1);
    s.pastExpiryOf(client);
    expect(await expireInvitations(s.deps)).toMatchObject({ expired: 0, unscheduled: 1 });
    expect(s.stored(client).state).toBe('accepted');
    expect(s.schedule.entries()).toEqual([]);
    // Its link still shows the "done" page.
    expect(s.memory.links.has(client.tokenHash)).toBe(true);
  });
});

describe('a change landing between the sweep reading an invitation and expiring it', () => {
  /** A store whose read of `invitation` lets `meanwhile` commit before the sweep writes. */
  const racing = (s: ReturnType<typeof system>, meanwhile: () => Promise<unknown>): Pick<InvitationStore, 'get' | 'apply'> => ({
    get: async (...key) => {
      const read = await s.memory.store.get(...key);
      await meanwhile();
      return read;
    },
    apply: s.memory.store.apply,
  });

  it('wins: a revoke stays a revoke, with its own reason on the ticket, and the sweep just skips it', async () => {
    const s = system();
    const invitation = await s.invite();
    const revokedAt = new Date(Date.parse(invitation.expiresAt) - 1);
    s.pastExpiryOf(invitation);
    const deps = { ...s.deps, invitations: racing(s, () => s.memory.store.apply(revoke(invitation, 'advisor-1', revokedAt).change)) };
    expect(await expireInvitations(deps)).toMatchObject({ expired: 0, skipped: 1 });
    expect(s.stored(invitation)).toMatchObject({ state: 'revoked', revokedAt: revokedAt.toISOString() });
    expect(s.ticketOf(invitation)).toMatchObject({ status: 'cancelled', note: 'invitation revoked' });
    expect(await expireInvitations(s.deps)).toEqual(none);
  });

  it('moves the invitation on, and the next run expires it as it then is', async () => {
    const s = system();
    const client = await s.invite({ prospect: false });
    const spent = { ...client, verification: { ...client.verification, wrongAttempts: 5 } };
    s.memory.invitations.set(idOf(client), spent);
    s.pastExpiryOf(client);
    const locking = lock(spent, newId(), new Date(Date.parse(client.expiresAt) - 1));
    const deps = { ...s.deps, invitations: racing(s, () => s.memory.store.apply(locking.change)) };
    expect(await expireInvitations(deps)).toMatchObject({ expired: 0, skipped: 1 });
    expect(s.stored(client).verification.status).toBe('locked');
    expect(await expireInvitations(s.deps)).toMatchObject({ expired: 1 });
    expect(s.ticketOf(s.stored(client))).toMatchObject({ status: 'cancelled', note: 'invitation expired' });
  });
});

describe('a run', () => {
  it('handles each invitation alone: one that cannot be read fails, the others are expired', async () => {
    const s = system();
    const broken = await s.invite({ email: 'broken@example.com' });
    const fine = await s.invite({ email: 'fine@example.com' });
    s.pastExpiryOf(fine);
    const get: InvitationStore['get'] = async (firmId, householdId, invitationId) => {
      if (invitationId === broken.invitationId) throw new Error('table unreachable');
      return s.memory.store.get(firmId, householdId, invitationId);
    };
    expect(await expireInvitations({ ...s.deps, invitations: { ...s.memory.store, get } })).toMatchObject({ expired: 1, failed: 1 });
    expect(s.stored(fine).state).toBe('expired');
    expect(s.stored(broken).state).toBe('live');
    expect(await expireInvitations(s.deps)).toMatchObject({ expired: 1, failed: 0 });
  });

  it('takes at most a page, soonest expiry first, and starts nothing once its time runs short', async () => {
    const s = system();
    const invited: Invitation[] = [];
    for (let i = 0; i < 3; i += 1) {
      s.clock.now = minutesAfter(start, i);
      invited.push(await s.invite({ email: `client-${i}@example.com` }));
    }
    s.pastExpiryOf(invited[2]!);
    expect(await expireInvitations(s.deps, 2)).toMatchObject({ expired: 2 });
    expect(invited.map((invitation) => s.stored(invitation).state)).toEqual(['expired', 'expired', 'live']);
    s.clock.remainingMs = 1_000;
    expect(await expireInvitations(s.deps)).toMatchObject({ expired: 0 });
    expect(s.stored(invited[2]!).state).toBe('live');
  });
});
