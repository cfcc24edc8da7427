// Issue #14 item 3: the inviting advisor is emailed once per event: the client accepted, self-service locked, a failed
// send was not resent within a day. The notice is owed by the change that makes the event happen; the sweeper sends
// it under a lease and clears it. The rules alone, then the use case against the in-memory store and an outbox kept
// as the table keeps it (lib/adapters/dynamodb/advisor-notices.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { noticeRecipient, type AdvisorNotice } from '../../lib/domain/advisor-notices.ts';
import type { Invitation } from '../../lib/domain/invitation.ts';
import type { InvitationKey } from '../../lib/domain/invitation-change.ts';
import { accept, emailUnanswered, recordDelivery, resend } from '../../lib/domain/invitation-lifecycle.ts';
import { lock } from '../../lib/domain/invitation-verification.ts';
import type { DueNotice, OutgoingEmail } from '../../lib/domain/ports.ts';
import { newToken } from '../../lib/domain/token.ts';
import { sendAdvisorNotices } from '../../lib/use-cases/send-advisor-notices.ts';
import { firmCaller, sent, start } from '../support/memory/fixtures.ts';
import { memoryInvitations } from '../support/memory/invitations.ts';

const day = 24 * 60 * 60_000;
const at = (ms: number) => new Date(start.getTime() + ms);
const client = sent().next;
const verified: Invitation = { ...client, verification: { ...client.verification, status: 'verified' } };
const spent: Invitation = { ...client, verification: { ...client.verification, wrongAttempts: 5 } };
const noAdvisorEmail: Invitation = { ...verified, invitedByEmail: undefined };

let changeItems: typeof import('../../lib/adapters/dynamodb/invitation-changes.ts').changeItems;
beforeAll(async () => {
  process.env.TABLE_NAME ??= 'unit-table';
  ({ changeItems } = await import('../../lib/adapters/dynamodb/invitation-changes.ts'));
});

describe('the notices a change owes', () => {
  it('an acceptance and a lock owe one at once; a failed send one a day later; a send that went out none', () => {
    expect(accept(verified, at(60_000)).change.advisorNotice).toEqual({ event: 'accepted', tokenHash: client.tokenHash, dueAt: at(60_000).toISOString() });
    expect(lock(spent, 'ticket-9', at(60_000)).change.advisorNotice).toEqual({ event: 'locked', tokenHash: client.tokenHash, dueAt: at(60_000).toISOString() });
    expect(recordDelivery(client, 'failed', at(60_000)).change.advisorNotice).toEqual({ event: 'send_failed', tokenHash: client.tokenHash, dueAt: at(day + 60_000).toISOString() });
    expect(recordDelivery(client, 'sent', at(60_000)).change.advisorNotice).toBeUndefined();
  });

  it('none for an acceptance or a lock when the advisor gave no email to tell', () => {
    expect(accept(noAdvisorEmail, at(60_000)).change.advisorNotice).toBeUndefined();
    expect(lock({ ...spent, invitedByEmail: undefined }, 'ticket-9', at(60_000)).change.advisorNotice).toBeUndefined();
  });

  it('is filed in the same transaction, as an Update (all a link route may write there), in the outbox index by when due', () => {
    const notice = changeItems(accept(verified, at(60_000)).change).items.advisorNotice!.Update!;
    expect(notice.Key).toEqual({ pk: `FIRM#${client.firmId}#HH#${client.householdId}`, sk: `NOTICE#${client.invitationId}#accepted` });
    expect(notice.ExpressionAttributeValues).toMatchObject({ ':pk': 'NOTICES', ':sortKey': `${at(60_000).toISOString()}#${client.invitationId}#accepted` });
    expect(notice.ConditionExpression).toBeUndefined();
  });
});

describe('whether a due notice still stands', () => {
  const failed = (invitation: Invitation): AdvisorNotice => ({ event: 'send_failed', tokenHash: invitation.tokenHash, dueAt: '' });
  const unsent: Invitation = { ...client, delivery: 'failed' };

  it('an acceptance or a lock always, to the inviting advisor', () => {
    expect(noticeRecipient({ event: 'accepted', tokenHash: 'x' }, { ...verified, state: 'accepted' })).toBe(firmCaller.email);
    expect(noticeRecipient({ event: 'locked', tokenHash: 'x' }, unsent)).toBe(firmCaller.email);
  });

  it('a failed send while its link is still current and failed, live or since expired', () => {
    expect(noticeRecipient(failed(unsent), unsent)).toBe(firmCaller.email);
    expect(noticeRecipient(failed(unsent), { ...unsent, state: 'expired' })).toBe(firmCaller.email);
  });

  it('not once resent (a new link), delivered, revoked, accepted or bounced, nor without an advisor email', () => {
    expect(noticeRecipient(failed(unsent), { ...unsent, tokenHash: 'newer' })).toBeUndefined();
    expect(noticeRecipient(failed(unsent), { ...unsent, delivery: 'sent' })).toBeUndefined();
    for (const state of ['revoked', 'accepted', 'bounced'] as const) expect(noticeRecipient(failed(unsent), { ...unsent, state }), state).toBeUndefined();
    expect(noticeRecipient(failed(unsent), { ...unsent, invitedByEmail: undefined })).toBeUndefined();
    expect(noticeRecipient(failed(unsent), undefined)).toBeUndefined();
  });
});

/** The store, its notices kept as the table keeps them (a lease moves the due time; a re-filed notice is fresh), a mailbox. */
const system = () => {
  const memory = memoryInvitations();
  type Filed = AdvisorNotice & { key: InvitationKey };
  const held = new WeakMap<Filed, { sortKey: string; attempts: number }>();
  const due = (id: string, filed: Filed): DueNotice & { id: string } => ({
    id,
    ...filed.key,
    event: filed.event,
    tokenHash: filed.tokenHash,
    sortKey: held.get(filed)?.sortKey ?? `${filed.dueAt}#${filed.key.invitationId}#${filed.event}`,
    attempts: held.get(filed)?.attempts ?? 0,
  });
  const current = () => [...memory.advisorNotices.entries()].map(([id, filed]) => ({ filed, notice: due(id, filed) }));
  const find = (notice: DueNotice) => current().find((c) => c.notice.sortKey === notice.sortKey && c.notice.invitationId === notice.invitationId);
  const outbox = {
    notices: async (now: string, limit: number) => current().map((c) => c.notice).filter((n) => n.sortKey < now).sort((a, b) => a.sortKey.localeCompare(b.sortKey)).slice(0, limit),
    leaseNotice: async (notice: DueNotice, until: string) => {
      const found = find(notice);
      if (!found) return undefined;
      const lease = { sortKey: `${until}#${notice.invitationId}#${notice.event}`, attempts: notice.attempts + 1 };
      held.set(found.filed, lease);
      return { ...notice, ...lease };
    },
    clearNotice: async (notice: DueNotice) => {
      const found = find(notice);
      if (found) memory.advisorNotices.delete(found.notice.id);
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
  const deps = { outbox, invitations: memory.store, mailer, now: () => clock.now, retry: () => ({ maxAttempts: 3, firstDelayMs: 60_000, maxDelayMs: 600_000 }), random: () => 0.5 };
  const sweepAt = (ms: number) => {
    clock.now = at(ms);
    return sendAdvisorNotices(deps);
  };
  const invite = async () => {
    const invited = sent({ now: clock.now, email: `client-${mailbox.length}-${Math.random()}@example.com` });
    await memory.store.create(invited.change);
    return invited.next;
  };
  return { memory, mailer, mailbox, deps, clock, sweepAt, invite };
};

describe('the sweeper', () => {
  it("emails the advisor once that the client accepted, however often and however many runs at once", async () => {
    const s = system();
    const invitation = await s.invite();
    const ready: Invitation = { ...invitation, verification: { ...invitation.verification, status: 'verified' } };
    s.memory.invitations.set(`${ready.firmId}#${ready.householdId}#${ready.invitationId}`, ready);
    expect(await s.memory.store.apply(accept(ready, at(60_000)).change)).toEqual({ ok: true });
    s.clock.now = at(120_000);
    const runs = await Promise.all([sendAdvisorNotices(s.deps), sendAdvisorNotices(s.deps)]);
    expect(runs.map((run) => run.sent).sort()).toEqual([0, 1]);
    expect(await s.sweepAt(day)).toMatchObject({ sent: 0 });
    expect(s.mailbox).toHaveLength(1);
    expect(s.mailbox[0]).toMatchObject({ to: firmCaller.email, subject: 'Invitation accepted: Ann Lee' });
    expect(s.mailbox[0]!.text).toContain(`Client: Ann Lee (${invitation.email})`);
    expect(s.mailbox[0]!.text).toContain(`Household: ${invitation.householdName} (${invitation.householdId})`);
    expect(s.memory.advisorNotices.size).toBe(0);
  });

  it('tells of a failed send a day later, once; not before, and not at all when it was resent in time', async () => {
    const s = system();
    const unsent = await s.invite();
    await s.memory.store.apply(recordDelivery(unsent, 'failed', at(60_000)).change);
    const resentInTime = await s.invite();
    await s.memory.store.apply(recordDelivery(resentInTime, 'failed', at(60_000)).change);
    await s.memory.store.apply(resend({ ...resentInTime, delivery: 'failed' }, { token: newToken(), expiresInDays: 7 }, at(3_600_000)).change);

    expect(await s.sweepAt(day)).toMatchObject({ sent: 0 });
    expect(await s.sweepAt(day + 120_000)).toMatchObject({ sent: 1, dropped: 1 });
    expect(await s.sweepAt(2 * day)).toMatchObject({ sent: 0, dropped: 0 });
    expect(s.mailbox.map((email) => email.subject)).toEqual(['Invitation not delivered: Ann Lee']);
    expect(s.mailbox[0]!.text).toContain(unsent.email);
  });

  it('counts from the latest failure when a resend failed too, and from the sweeper marking an unanswered email', async () => {
    const s = system();
    const invitation = await s.invite();
    await s.memory.store.apply(recordDelivery(invitation, 'failed', at(60_000)).change);
    const resent = resend({ ...invitation, delivery: 'failed' }, { token: newToken(), expiresInDays: 7 }, at(12 * 3_600_000));
    await s.memory.store.apply(resent.change);
    await s.memory.store.apply(recordDelivery(resent.next, 'failed', at(12 * 3_600_000)).change);
    expect(await s.sweepAt(day + 120_000)).toMatchObject({ sent: 0 });
    expect(await s.sweepAt(day + 12 * 3_600_000 + 60_000)).toMatchObject({ sent: 1 });

    const unanswered = await s.invite();
    const slot = s.memory.emailsOwed.get(`${unanswered.firmId}#${unanswered.householdId}#${unanswered.invitationId}`)!;
    expect(await s.memory.store.apply(emailUnanswered({ ...unanswered, sortKey: slot }, at(2 * day)))).toEqual({ ok: true });
    expect(await s.sweepAt(3 * day + 60_000)).toMatchObject({ sent: 1 });
    expect(s.mailbox).toHaveLength(2);
  });

  it('tells of a lock, naming the ticket ops verify the client on', async () => {
    const s = system();
    const invitation = await s.invite();
    const tired: Invitation = { ...invitation, verification: { ...invitation.verification, wrongAttempts: 5 } };
    s.memory.invitations.set(`${tired.firmId}#${tired.householdId}#${tired.invitationId}`, tired);
    await s.memory.store.apply(lock(tired, 'ticket-7', at(60_000)).change);
    expect(await s.sweepAt(120_000)).toMatchObject({ sent: 1 });
    expect(s.mailbox[0]).toMatchObject({ to: firmCaller.email, subject: 'Verification locked: Ann Lee' });
    expect(s.mailbox[0]!.text).toContain('ticket ticket-7');
  });

  it('tries a notice SES refused again once its lease runs out, and gives up after the try limit', async () => {
    const s = system();
    const invitation = await s.invite();
    await s.memory.store.apply(recordDelivery(invitation, 'failed', at(60_000)).change);
    s.mailer.failing = true;
    expect(await s.sweepAt(day + 120_000)).toMatchObject({ sent: 0, failed: 1 });
    expect(await s.sweepAt(day + 150_000)).toMatchObject({ sent: 0, failed: 0 });
    s.mailer.failing = false;
    expect(await s.sweepAt(day + 20 * 60_000)).toMatchObject({ sent: 1 });
    expect(s.mailbox).toHaveLength(1);

    const other = await s.invite();
    await s.memory.store.apply(recordDelivery(other, 'failed', at(2 * day)).change);
    s.mailer.failing = true;
    for (let hour = 1; hour <= 4; hour += 1) await s.sweepAt(3 * day + hour * 3_600_000);
    expect(s.memory.advisorNotices.size).toBe(0);
    expect(s.mailbox).toHaveLength(1);
  });
});
