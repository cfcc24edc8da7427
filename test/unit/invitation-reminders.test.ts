// Issue #14 item 2: one reminder before a link expires, at most one per link. The rules alone, then the sweeper's use
// case against the in-memory store, whose schedule is kept as the table keeps it (lib/adapters/dynamodb/expiring.ts):
// each current link filed under its reminder time while one is planned, then under its expiry.
import { describe, expect, it } from 'vitest';
import type { Invitation } from '../../lib/domain/invitation.ts';
import type { InvitationChange, InvitationKey } from '../../lib/domain/invitation-change.ts';
import { accept, recordDelivery, resend, revoke } from '../../lib/domain/invitation-lifecycle.ts';
import { reminderAt, reminderOwed, scheduledStep } from '../../lib/domain/invitation-reminders.ts';
import type { ExpiringLink, OutgoingEmail } from '../../lib/domain/ports.ts';
import { newToken } from '../../lib/domain/token.ts';
import { reminderEmail } from '../../lib/email/messages.ts';
import { expireInvitations } from '../../lib/use-cases/expire-invitations.ts';
import { sent, start } from '../support/memory/fixtures.ts';
import { memoryInvitations } from '../support/memory/invitations.ts';

const day = 24 * 60 * 60_000;
const at = (ms: number) => new Date(start.getTime() + ms);
const iso = (ms: number) => at(ms).toISOString();
const idOf = (key: InvitationKey) => `${key.firmId}#${key.householdId}#${key.invitationId}`;

describe('when a link reminds its client', () => {
  it('is the lead time before its expiry, for a link issued at least a day before that', () => {
    expect(reminderAt(iso(0), iso(7 * day), 2)).toBe(iso(5 * day));
    expect(reminderAt(iso(0), iso(3 * day), 2)).toBe(iso(day));
    expect(reminderAt(iso(0), iso(30 * day), 29)).toBe(iso(day));
  });

  it('is never for a link too short-lived for one, nor with reminders off', () => {
    expect(reminderAt(iso(0), iso(3 * day - 1), 2)).toBeUndefined();
    expect(reminderAt(iso(0), iso(day), 2)).toBeUndefined();
    expect(reminderAt(iso(0), iso(7 * day), 0)).toBeUndefined();
  });
});

describe('who is owed a reminder', () => {
  const delivered = (invitation: Invitation): Invitation => recordDelivery(invitation, 'sent', start).next;
  const client = delivered(sent().next);
  const withStatus = (status: Invitation['verification']['status']) => ({ ...client, verification: { ...client.verification, status } });

  it('a client whose email went out and who can verify or, verified, accept', () => {
    expect(reminderOwed(client, at(day))).toBe(true);
    expect(reminderOwed(withStatus('verified'), at(day))).toBe(true);
  });

  it('nobody waiting on ops, refused, whose email failed or is unanswered, or whose invitation ended', () => {
    expect(reminderOwed(delivered(sent({ prospect: true }).next), at(day))).toBe(false);
    for (const status of ['locked', 'pending_review', 'rejected'] as const) expect(reminderOwed(withStatus(status), at(day)), status).toBe(false);
    expect(reminderOwed({ ...client, delivery: 'failed' }, at(day))).toBe(false);
    expect(reminderOwed({ ...client, delivery: 'pending' }, at(day))).toBe(false);
    for (const state of ['accepted', 'revoked', 'expired', 'bounced', 'complained'] as const) expect(reminderOwed({ ...client, state }, at(day)), state).toBe(false);
    expect(reminderOwed(client, new Date(client.expiresAt))).toBe(false);
  });

  it('a due entry: reminded at its reminder time, expired past its expiry, taken out once its link is not the live one', () => {
    const entry = { tokenHash: client.tokenHash, dueAt: iso(5 * day), expiresAt: client.expiresAt };
    expect(scheduledStep(entry, client, at(5 * day + 1))).toBe('remind');
    expect(scheduledStep(entry, withStatus('locked'), at(5 * day + 1))).toBe('skip_reminder');
    expect(scheduledStep(entry, client, new Date(Date.parse(client.expiresAt) + 1))).toBe('expire');
    expect(scheduledStep({ ...entry, dueAt: client.expiresAt }, client, at(5 * day + 1))).toBe('not_due');
    expect(scheduledStep(entry, { ...client, state: 'accepted' }, at(5 * day + 1))).toBe('unschedule');
    expect(scheduledStep(entry, { ...client, tokenHash: 'newer' }, at(5 * day + 1))).toBe('unschedule');
    expect(scheduledStep(entry, undefined, at(5 * day + 1))).toBe('unschedule');
  });
});

describe('the reminder email', () => {
  it('names the firm, the day the link went out, its expiry and the advisor, and carries no link', () => {
    const invitation = { ...recordDelivery(sent().next, 'sent', start).next, firstName: '<b>Ann</b>' };
    const email = reminderEmail(invitation);
    expect(email.to).toBe(invitation.email);
    expect(email.about).toEqual({ firmId: invitation.firmId, householdId: invitation.householdId, invitationId: invitation.invitationId });
    expect(email.subject).toBe('Reminder: your A Wealth client portal invitation expires on Sun, 08 Mar 2026');
    expect(email.text).toContain('sent you on Sun, 01 Mar 2026 works until Sun, 08 Mar 2026');
    expect(email.text).toContain('ask your advisor (advisor@firm.test) to send you a new invitation');
    expect(email.html).not.toMatch(/href=|\/invite\//);
    expect(email.text).not.toMatch(/https?:/);
    expect(email.html).toContain('&lt;b&gt;Ann&lt;/b&gt;');
  });
});

/** The store, the schedule as the table keeps it (two days' lead), a mailbox and the sweeper's deps at a clock. */
const system = (leadDays = 2) => {
  const memory = memoryInvitations();
  const entries = new Map<string, ExpiringLink>();
  const file = (change: InvitationChange) => {
    if (change.link?.retire) entries.delete(change.link.retire);
    const issued = change.link?.issue;
    if (!issued) return;
    const dueAt = reminderAt(change.at, issued.expiresAt, leadDays) ?? issued.expiresAt;
    entries.set(issued.tokenHash, { ...change.key, tokenHash: issued.tokenHash, expiresAt: issued.expiresAt, dueAt, sortKey: `${dueAt}#${change.key.invitationId}` });
  };
  const apply = async (change: InvitationChange) => {
    const outcome = await memory.store.apply(change);
    if (outcome.ok) file(change);
    return outcome;
  };
  const asRead = (link: ExpiringLink) => entries.get(link.tokenHash)?.sortKey === link.sortKey;
  const schedule = {
    expiring: async (now: string, limit: number) => [...entries.values()].filter((e) => e.sortKey < now).sort((a, b) => a.sortKey.localeCompare(b.sortKey)).slice(0, limit),
    unschedule: async (link: ExpiringLink) => {
      if (asRead(link)) entries.delete(link.tokenHash);
    },
    // One conditional write: the entry as read and, for a reminder, its invitation live on this link.
    fileUnderExpiry: async (link: ExpiringLink, remindedAt?: string) => {
      const invitation = memory.invitations.get(idOf(link));
      if (!asRead(link) || (remindedAt !== undefined && (invitation?.tokenHash !== link.tokenHash || invitation.state !== 'live'))) return false;
      entries.set(link.tokenHash, { ...link, dueAt: link.expiresAt, sortKey: `${link.expiresAt}#${link.invitationId}` });
      return true;
    },
  };
  const mailbox: OutgoingEmail[] = [];
  const mailer = {
    failing: false,
    send: async (email: OutgoingEmail) => {
      if (mailer.failing) throw new Error('SES down');
      mailbox.push(email);
    },
  };
  const clock = { now: start };
  const deps = { outbox: schedule, invitations: { get: memory.store.get, apply }, mailer, now: () => clock.now, requestId: 'sweep' };
  /** A client invited for `days` whose email went out. */
  const invite = async (days = 7, prospect = false) => {
    const invited = sent({ prospect, expiresInDays: days, now: clock.now });
    await memory.store.create(invited.change);
    file(invited.change);
    const delivered = recordDelivery(invited.next, 'sent', clock.now);
    await apply(delivered.change);
    return delivered.next;
  };
  const sweepAt = (ms: number) => {
    clock.now = at(ms);
    return expireInvitations(deps);
  };
  const remindersTo = (invitation: Invitation) => mailbox.filter((email) => email.to === invitation.email && email.subject.startsWith('Reminder'));
  return { memory, entries, mailer, mailbox, deps, clock, apply, invite, sweepAt, remindersTo };
};

describe('the sweeper', () => {
  it('reminds a client once, at its time, however often and however many runs at once', async () => {
    const s = system();
    const invitation = await s.invite(7);
    expect(await s.sweepAt(5 * day - 60_000)).toMatchObject({ reminded: 0 });
    expect(s.remindersTo(invitation)).toEqual([]);
    s.clock.now = at(5 * day + 60_000);
    const runs = await Promise.all([expireInvitations(s.deps), expireInvitations(s.deps), expireInvitations(s.deps)]);
    expect(runs.map((run) => run.reminded).sort()).toEqual([0, 0, 1]);
    expect(runs.map((run) => run.skipped).sort()).toEqual([0, 1, 1]);
    for (let minute = 2; minute < 10; minute += 1) await s.sweepAt(5 * day + minute * 60_000);
    expect(s.remindersTo(invitation)).toHaveLength(1);
    // Filed under its expiry now, which ends it as before.
    expect(await s.sweepAt(7 * day + 60_000)).toMatchObject({ expired: 1, reminded: 0 });
    expect(s.remindersTo(invitation)).toHaveLength(1);
  });

  it('sends none after a revocation or an acceptance, nor to a prospect waiting on ops: those links wait for expiry', async () => {
    const s = system();
    const revoked = await s.invite(7);
    await s.apply(revoke(revoked, 'advisor-1', at(day)).change);
    const accepted = await s.invite(7);
    const verified: Invitation = { ...accepted, verification: { ...accepted.verification, status: 'verified' } };
    s.memory.invitations.set(idOf(accepted), verified);
    await s.apply(accept(verified, at(day)).change);
    const prospect = await s.invite(7, true);

    expect(await s.sweepAt(5 * day + 60_000)).toMatchObject({ reminded: 0, unscheduled: 1, rescheduled: 1 });
    expect(s.mailbox.filter((email) => email.subject.startsWith('Reminder'))).toEqual([]);
    expect(s.entries.get(prospect.tokenHash)?.dueAt).toBe(prospect.expiresAt);
    expect(await s.sweepAt(5 * day + 120_000)).toMatchObject({ reminded: 0, rescheduled: 0 });
  });

  it('gives a resent link a reminder of its own, before its own expiry', async () => {
    const s = system();
    const invitation = await s.invite(7);
    await s.sweepAt(5 * day + 60_000);
    expect(s.remindersTo(invitation)).toHaveLength(1);
    const resent = resend(invitation, { token: newToken(), expiresInDays: 7 }, at(6 * day));
    await s.apply(resent.change);
    await s.apply(recordDelivery(resent.next, 'sent', at(6 * day)).change);
    // Nothing at the old expiry: the old link's entry went with it.
    expect(await s.sweepAt(7 * day + 60_000)).toMatchObject({ expired: 0, reminded: 0 });
    expect(await s.sweepAt(11 * day + 60_000)).toMatchObject({ reminded: 1 });
    expect(s.remindersTo(invitation)).toHaveLength(2);
    expect(s.remindersTo(invitation)[1]!.subject).toContain(new Date(resent.next.expiresAt).toUTCString().slice(0, 16));
  });

  it('gives a link too short-lived for one no reminder, and none with reminders off', async () => {
    for (const [s, days] of [[system(), 2], [system(0), 7]] as const) {
      const invitation = await s.invite(days);
      expect(s.entries.get(invitation.tokenHash)?.dueAt).toBe(invitation.expiresAt);
      expect(await s.sweepAt(days * day + 60_000)).toMatchObject({ expired: 1, reminded: 0 });
      expect(s.mailbox.filter((email) => email.subject.startsWith('Reminder'))).toEqual([]);
    }
  });

  it('loses a reminder whose send failed after it was marked, rather than ever sending two', async () => {
    const s = system();
    const invitation = await s.invite(7);
    s.mailer.failing = true;
    expect(await s.sweepAt(5 * day + 60_000)).toMatchObject({ reminded: 0, missed: 1, failed: 0 });
    s.mailer.failing = false;
    expect(await s.sweepAt(5 * day + 120_000)).toMatchObject({ reminded: 0, missed: 0 });
    expect(s.remindersTo(invitation)).toEqual([]);
    expect(s.entries.get(invitation.tokenHash)?.dueAt).toBe(invitation.expiresAt);
  });

  it('leaves a reminder for the next run when too little time is left to send it after the mark', async () => {
    const s = system();
    const invitation = await s.invite(7);
    s.clock.now = at(5 * day + 60_000);
    expect(await expireInvitations({ ...s.deps, remainingMs: () => 12_000 })).toMatchObject({ reminded: 0, skipped: 1 });
    expect(await s.sweepAt(5 * day + 120_000)).toMatchObject({ reminded: 1 });
    expect(s.remindersTo(invitation)).toHaveLength(1);
  });
});
