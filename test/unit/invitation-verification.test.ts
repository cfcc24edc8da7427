import { describe, expect, it } from 'vitest';
import { maxWrongAttempts, type Invitation } from '../../lib/domain/invitation.ts';
import { attemptsAbandoned, attemptsSpent, lock, reserveAttempt, selfService, verify, wrongNumber } from '../../lib/domain/invitation-verification.ts';
import { minutesAfter, sent, start } from '../support/memory/fixtures.ts';

const now = minutesAfter(start, 10);
const at = now.toISOString();
const client = () => sent().next;
const withVerification = (invitation: Invitation, verification: Partial<Invitation['verification']>): Invitation => ({
  ...invitation,
  verification: { ...invitation.verification, ...verification },
});
const stillOpen = (invitation: Invitation) => ({ tokenHash: invitation.tokenHash, state: 'live', unexpiredAt: at, verificationStatus: 'not_started' });

describe('self-service', () => {
  it('is open to a compare until verified, and refuses every other state', () => {
    expect(selfService(client())).toBe('open');
    expect(selfService(withVerification(client(), { status: 'verified' }))).toBe('verified');
    expect(() => selfService(withVerification(client(), { status: 'locked' }))).toThrow(expect.objectContaining({ code: 'locked' }));
    expect(() => selfService(withVerification(client(), { status: 'rejected' }))).toThrow(/declined/);
    expect(() => selfService(sent({ prospect: true }).next)).toThrow(/operations team/);
    expect(() => selfService({ ...client(), state: 'accepted' })).toThrow(/already been accepted/);
  });
});

describe('reserving an attempt', () => {
  it('counts one attempt atomically, written only while fewer than five are taken and self-service is open', () => {
    const invitation = client();
    const { next, change } = reserveAttempt(invitation, now);
    expect(next.verification.wrongAttempts).toBe(1);
    expect(change.write).toEqual({ set: { updatedAt: at }, countAttempt: true, when: { ...stillOpen(invitation), wrongAttempts: { below: maxWrongAttempts } } });
  });

  it('refuses once five are spent, and when self-service is over', () => {
    const spent = withVerification(client(), { wrongAttempts: 5 });
    expect(attemptsSpent(spent)).toBe(true);
    expect(() => reserveAttempt(spent, now)).toThrow(expect.objectContaining({ code: 'locked' }));
    expect(() => reserveAttempt(withVerification(client(), { status: 'verified' }), now)).toThrow(/not waiting/);
    const invitation = client();
    expect(() => reserveAttempt(invitation, new Date(Date.parse(invitation.expiresAt)))).toThrow(/not waiting/);
  });
});

describe('the right number', () => {
  it('verifies on a reserved attempt, while no lock or decision came first and the attempts stayed within five', () => {
    const invitation = client();
    const { next, change, effects } = verify(invitation, 3, now);
    expect(next.verification).toMatchObject({ status: 'verified', wrongAttempts: 3 });
    expect(change.write).toEqual({
      set: { verification: { status: 'verified' }, verifiedAt: at, updatedAt: at },
      when: { ...stillOpen(invitation), wrongAttempts: { atMost: maxWrongAttempts } },
    });
    expect(effects).toEqual([{ kind: 'metric', name: 'identityVerified' }]);
  });

  it.each([0, 6, 1.5])('never verifies without a reserved attempt (attempt %s)', (attempt) => {
    expect(() => verify(client(), attempt, now)).toThrow(/no reserved attempt/);
  });
});

describe('a wrong number', () => {
  it('is refused with the tries left and writes nothing more', () => {
    const outcome = wrongNumber(client(), 1, 'ticket-1', now);
    expect(outcome).toMatchObject({ refusal: { code: 'invalid_account_number', details: [{ attemptsLeft: 4 }] } });
    expect('refusal' in outcome && outcome.effects).toEqual([{ kind: 'metric', name: 'identityWrongNumber' }]);
    expect(wrongNumber(client(), 4, 'ticket-1', now)).toMatchObject({ refusal: { message: expect.stringContaining('1 try left') } });
  });

  it('on the fifth attempt locks self-service and raises the lock ticket, even if the copy read counted fewer', () => {
    const invitation = withVerification(client(), { wrongAttempts: 2 });
    const outcome = wrongNumber(invitation, 5, 'ticket-1', now);
    if (!('locks' in outcome)) throw new Error('expected the lock');
    const { next, change, effects } = outcome.locks;
    expect(next.verification).toMatchObject({ status: 'locked', ticketId: 'ticket-1', wrongAttempts: 5 });
    expect(change).toMatchObject({
      write: { set: { verification: { status: 'locked', ticketId: 'ticket-1' } }, when: { ...stillOpen(invitation), wrongAttempts: { atLeast: 5 } } },
      ticketRequest: { owe: { ticketId: 'ticket-1', reason: 'verification_locked', invitationId: invitation.invitationId } },
    });
    expect(effects).toEqual([
      { kind: 'queue_ticket_request', request: expect.objectContaining({ ticketId: 'ticket-1' }) },
      { kind: 'metric', name: 'identityLocked' },
    ]);
  });

  it('takes spent attempts for abandoned only once no compare can still be under way', () => {
    const spent = { ...withVerification(client(), { wrongAttempts: 5 }), updatedAt: at };
    expect(attemptsAbandoned(spent, minutesAfter(now, 0.2))).toBe(false);
    expect(attemptsAbandoned(spent, minutesAfter(now, 1))).toBe(true);
    expect(attemptsAbandoned(withVerification(spent, { status: 'locked' }), minutesAfter(now, 1))).toBe(false);
    expect(attemptsAbandoned(withVerification(spent, { wrongAttempts: 4 }), minutesAfter(now, 1))).toBe(false);
  });

  it('never locks while attempts remain', () => {
    expect(() => lock(withVerification(client(), { wrongAttempts: 4 }), 'ticket-1', now)).toThrow(/attempts remain/);
  });
});
