// Bounces and complaints as pure rules: which SES event ends which invitation, what that write holds, and that the
// advisor's notice is owed once however often the event arrives.
import { describe, expect, it } from 'vitest';
import type { Invitation } from '../../lib/domain/invitation.ts';
import { noticeSent, onEmailEvent, releaseNotice, type EmailEvent } from '../../lib/domain/invitation-delivery-events.ts';
import { keyOf } from '../../lib/domain/invitation-change.ts';
import { minutesAfter, sent, start } from '../support/memory/fixtures.ts';

const leaseMs = 60_000;
const later = minutesAfter(start, 1);
const live = (options: Parameters<typeof sent>[0] = {}) => sent(options).next;
const eventFor = (invitation: Invitation | undefined, kind: EmailEvent['kind'], permanent = true): EmailEvent => {
  const about = { messageId: 'ses-1', invitation: invitation && keyOf(invitation) };
  return kind === 'bounce' ? { ...about, kind, permanent } : { ...about, kind };
};

describe('a permanent bounce', () => {
  it("ends a live invitation as bounced: link retired, lock freed, email no longer owed, the advisor's notice owed under this delivery's lease", () => {
    const invitation = live();
    const { outcome, transition, effects } = onEmailEvent(invitation, eventFor(invitation, 'bounce'), later, leaseMs);
    expect(outcome).toBe('bounced');
    const leaseUntil = new Date(later.getTime() + leaseMs).toISOString();
    expect(transition?.next).toMatchObject({ state: 'bounced', bouncedAt: later.toISOString(), deliveryNotice: { about: 'bounced', leaseUntil } });
    expect(transition?.change).toMatchObject({
      write: {
        set: { state: 'bounced', deliveryNotice: { about: 'bounced', leaseUntil } },
        when: { tokenHash: invitation.tokenHash, state: 'live', unexpiredAt: later.toISOString() },
      },
      link: { retire: invitation.tokenHash },
      lock: { free: { email: invitation.email } },
      emailOwed: false,
    });
    expect(effects).toEqual([
      { kind: 'metric', name: 'invitationsBounced' },
      { kind: 'email_advisor_notice', invitation: transition!.next, notice: 'bounced' },
    ]);
  });

  it("cancels a prospect's open ticket with it", () => {
    const invitation = live({ prospect: true });
    const { transition, effects } = onEmailEvent(invitation, eventFor(invitation, 'bounce'), later, leaseMs);
    expect(transition?.change.cancelTicket).toMatchObject({ ticketId: invitation.verification.ticketId, status: 'cancelled', note: 'invitation bounced' });
    expect(transition?.change.ticketRequest).toEqual({ clear: invitation.verification.ticketId });
    expect(effects.map((effect) => effect.kind === 'metric' && effect.name)).toContain('ticketsCancelled');
  });

  it('ends a send_failed invitation too: SES may have sent what it did not answer for', () => {
    const invitation: Invitation = { ...live(), delivery: 'failed' };
    expect(onEmailEvent(invitation, eventFor(invitation, 'bounce'), later, leaseMs).outcome).toBe('bounced');
  });

  it('owes no notice when the advisor had no email on their token, and still ends the invitation', () => {
    const invitation = live({ caller: { firmId: 'firm-a', sub: 'advisor-without-email' } });
    const { outcome, transition, effects } = onEmailEvent(invitation, eventFor(invitation, 'bounce'), later, leaseMs);
    expect([outcome, transition?.next.deliveryNotice]).toEqual(['bounced', undefined]);
    expect(effects.map((effect) => effect.kind)).toEqual(['metric']);
  });
});

describe('a complaint', () => {
  it('ends a live invitation as complained, with its own notice', () => {
    const invitation = live();
    const { outcome, transition, effects } = onEmailEvent(invitation, eventFor(invitation, 'complaint'), later, leaseMs);
    expect(outcome).toBe('complained');
    expect(transition?.next).toMatchObject({ state: 'complained', complainedAt: later.toISOString(), deliveryNotice: { about: 'complained' } });
    expect(effects).toContainEqual({ kind: 'email_advisor_notice', invitation: transition!.next, notice: 'complained' });
    expect(effects).toContainEqual({ kind: 'metric', name: 'invitationsComplained' });
  });
});

describe('events that change nothing', () => {
  it('counts a delivery and a transient bounce, leaving the invitation as it is', () => {
    const invitation = live();
    expect(onEmailEvent(invitation, eventFor(invitation, 'delivery'), later, leaseMs)).toEqual({
      outcome: 'delivered',
      transition: undefined,
      effects: [{ kind: 'metric', name: 'invitationEmailsDelivered' }],
    });
    expect(onEmailEvent(invitation, eventFor(invitation, 'bounce', false), later, leaseMs)).toEqual({
      outcome: 'soft_bounce',
      transition: undefined,
      effects: [{ kind: 'metric', name: 'invitationEmailsSoftBounced' }],
    });
  });

  it('passes by an email about no invitation, and an invitation not stored', () => {
    expect(onEmailEvent(undefined, eventFor(undefined, 'bounce'), later, leaseMs).outcome).toBe('not_an_invitation');
    expect(onEmailEvent(undefined, eventFor(live(), 'complaint'), later, leaseMs).outcome).toBe('unknown_invitation');
  });

  it('leaves an invitation that ended otherwise first: accepted, revoked, or past its expiry', () => {
    const invitation = live({ expiresInDays: 1 });
    for (const ended of [{ ...invitation, state: 'accepted' as const }, { ...invitation, state: 'revoked' as const }]) {
      expect(onEmailEvent(ended, eventFor(ended, 'complaint'), later, leaseMs)).toMatchObject({ outcome: 'not_live', transition: undefined });
    }
    const pastExpiry = minutesAfter(start, 24 * 60);
    expect(onEmailEvent(invitation, eventFor(invitation, 'bounce'), pastExpiry, leaseMs).outcome).toBe('not_live');
  });
});

describe('the same event again', () => {
  const bounced = () => {
    const invitation = live();
    return onEmailEvent(invitation, eventFor(invitation, 'bounce'), later, leaseMs).transition!.next;
  };

  it('changes nothing while the first delivery holds the lease, nor once the notice was sent', () => {
    const invitation = bounced();
    expect(onEmailEvent(invitation, eventFor(invitation, 'bounce'), minutesAfter(later, 0.5), leaseMs)).toMatchObject({ outcome: 'duplicate', transition: undefined });
    const notified = noticeSent(invitation, minutesAfter(later, 0.1)).next;
    expect(notified.deliveryNotice?.sentAt).toBe(minutesAfter(later, 0.1).toISOString());
    expect(onEmailEvent(notified, eventFor(notified, 'bounce'), minutesAfter(later, 10), leaseMs)).toMatchObject({ outcome: 'duplicate', transition: undefined });
    // A complaint after a bounce neither changes the state nor owes a second notice.
    expect(onEmailEvent(notified, eventFor(notified, 'complaint'), minutesAfter(later, 10), leaseMs).outcome).toBe('duplicate');
  });

  it('resumes an unsent notice once its lease has run out or was given back, on condition the lease is still the one read', () => {
    const invitation = bounced();
    const held = invitation.deliveryNotice!.leaseUntil;
    const resumedAt = minutesAfter(later, 2);
    const { outcome, transition, effects } = onEmailEvent(invitation, eventFor(invitation, 'bounce'), resumedAt, leaseMs);
    expect(outcome).toBe('notice_resumed');
    expect(transition?.change.write).toEqual({
      set: { deliveryNotice: { about: 'bounced', leaseUntil: new Date(resumedAt.getTime() + leaseMs).toISOString() } },
      when: { tokenHash: invitation.tokenHash, deliveryNoticeLease: held },
    });
    expect(effects).toEqual([{ kind: 'email_advisor_notice', invitation: transition!.next, notice: 'bounced' }]);

    const released = releaseNotice(invitation, minutesAfter(later, 0.1));
    expect(released.change.write).toMatchObject({ when: { deliveryNoticeLease: held } });
    expect(onEmailEvent(released.next, eventFor(invitation, 'bounce'), minutesAfter(later, 0.2), leaseMs).outcome).toBe('notice_resumed');
  });
});
