// The account-number lockout as pure deciders. Each compare first reserves one of five attempts (an atomic count the
// write checks, so concurrent guesses each take their own number); the right number verifies only on a reserved
// attempt, and the fifth wrong one locks self-service and raises a ticket for the ops team.
import { AppError, conflict } from './errors.ts';
import { isExpired, maxWrongAttempts, ticketRequestFor, type Invitation } from './invitation.ts';
import { keyOf, type InvitationCondition, type InvitationTransition } from './invitation-change.ts';
import { metric } from './invitation-lifecycle.ts';
import { noticeOf, owing } from './advisor-notices.ts';
import type { Effect } from './transition.ts';
import { functionTimeoutSeconds } from '../settings/timing.ts';

export const lockedError = (): AppError =>
  new AppError('locked', 'Too many wrong account numbers; our operations team will verify you and email you a new link');

export const wrongNumberError = (left: number): AppError =>
  new AppError('invalid_account_number', `That account number does not match; ${left} ${left === 1 ? 'try' : 'tries'} left`, [
    { path: 'body.accountNumber', message: 'does not match an account of this household', attemptsLeft: left },
  ]);

/**
 * Where self-service stands for a client at their link: open to a compare, or verified already; every other state
 * is a refusal. The caller has checked the link works.
 */
export const selfService = (invitation: Invitation): 'open' | 'verified' => {
  const { method, status } = invitation.verification;
  if (invitation.state !== 'live') throw conflict('This invitation has already been accepted');
  if (method !== 'account_number') {
    throw conflict('This invitation is verified by our operations team; there is nothing to enter');
  }
  if (status === 'verified') return 'verified';
  if (status === 'locked' || status === 'pending_review') throw lockedError();
  if (status === 'rejected') throw conflict('Verification was declined; please contact your advisor');
  return 'open';
};

/** Every attempt spent: the only way on is the lock (and ops), never another compare. */
export const attemptsSpent = (invitation: Invitation): boolean => invitation.verification.wrongAttempts >= maxWrongAttempts;

/** Longer than any compare can take: the whole life of one API request, in which a reserved attempt is compared. */
const compareBoundMs = functionTimeoutSeconds.http * 1000;

/**
 * Every attempt spent, self-service still open, and no attempt reserved for longer than any compare can take: the
 * request holding the last attempt died before it locked or verified. Until then a compare may still be under way.
 */
export const attemptsAbandoned = (invitation: Invitation, now: Date): boolean =>
  attemptsSpent(invitation) &&
  invitation.verification.status === 'not_started' &&
  now.getTime() - Date.parse(invitation.updatedAt) >= compareBoundMs;

/** The state every lockout write rests on: the link current, the invitation live and unexpired, nobody verified, locked or decided. */
const stillOpen = (invitation: Invitation, at: string): InvitationCondition => ({
  tokenHash: invitation.tokenHash,
  state: 'live',
  unexpiredAt: at,
  verificationStatus: 'not_started',
});

const assertOpen = (invitation: Invitation, now: Date): void => {
  if (isExpired(invitation, now) || selfService(invitation) !== 'open') throw conflict('This invitation is not waiting for an account number');
};

/** A compare happens only on an attempt this reserved: attempts are numbered 1 to 5. */
const assertReserved = (attempt: number): void => {
  if (!Number.isInteger(attempt) || attempt < 1 || attempt > maxWrongAttempts) throw new Error(`no reserved attempt ${attempt}`);
};

/** Takes one attempt before the compare; the write counts it atomically and refuses once five are taken. */
export const reserveAttempt = (invitation: Invitation, now: Date): InvitationTransition => {
  assertOpen(invitation, now);
  if (attemptsSpent(invitation)) throw lockedError();
  const at = now.toISOString();
  const verification = { ...invitation.verification, wrongAttempts: invitation.verification.wrongAttempts + 1 };
  return {
    next: { ...invitation, verification, updatedAt: at },
    change: {
      key: keyOf(invitation),
      at,
      write: { set: { updatedAt: at }, when: { ...stillOpen(invitation, at), wrongAttempts: { below: maxWrongAttempts } }, countAttempt: true },
    },
    effects: [],
  };
};

/** The right number on reserved attempt `attempt`: verified, unless a lock or decision landed meanwhile. */
export const verify = (invitation: Invitation, attempt: number, now: Date): InvitationTransition => {
  assertOpen(invitation, now);
  assertReserved(attempt);
  const at = now.toISOString();
  const verification = { ...invitation.verification, status: 'verified' as const, wrongAttempts: attempt };
  return {
    next: { ...invitation, verification, verifiedAt: at, updatedAt: at },
    change: {
      key: keyOf(invitation),
      at,
      write: {
        set: { verification: { status: 'verified' }, verifiedAt: at, updatedAt: at },
        when: { ...stillOpen(invitation, at), wrongAttempts: { atMost: maxWrongAttempts } },
      },
      audit: [{ action: 'verification.verified', at, from: 'not_started', to: 'verified', invitationId: invitation.invitationId }],
    },
    effects: [metric('identityVerified')],
  };
};

/**
 * Locks self-service once every attempt is spent and raises the ticket `ticketId` for the ops team: by the request
 * whose fifth attempt was a wrong number (wrongNumber), or as a repair once the attempts were abandoned.
 */
export const lock = (invitation: Invitation, ticketId: string, now: Date): InvitationTransition => {
  assertOpen(invitation, now);
  if (!attemptsSpent(invitation)) throw new Error('attempts remain; nothing to lock');
  const at = now.toISOString();
  const verification = { ...invitation.verification, status: 'locked' as const, ticketId };
  const next = { ...invitation, verification, updatedAt: at };
  const request = ticketRequestFor(next, 'verification_locked', now);
  return {
    next,
    change: {
      key: keyOf(invitation),
      at,
      write: {
        set: { verification: { status: 'locked', ticketId }, updatedAt: at },
        when: { ...stillOpen(invitation, at), wrongAttempts: { atLeast: maxWrongAttempts } },
      },
      ticketRequest: { owe: request },
      ...owing(noticeOf(next, 'locked', now)),
      audit: [{ action: 'verification.locked', at, from: 'not_started', to: 'locked', invitationId: invitation.invitationId, ticketId }],
    },
    effects: [{ kind: 'queue_ticket_request', request }, metric('identityLocked')],
  };
};

/**
 * A wrong number on reserved attempt `attempt`: refused with the tries left, or, on the fifth, the lock (whose ticket
 * is `ticketId`). A refusal writes nothing: its attempt was counted when reserved.
 */
export const wrongNumber = (
  invitation: Invitation,
  attempt: number,
  ticketId: string,
  now: Date,
): { refusal: AppError; effects: Effect[] } | { locks: InvitationTransition } => {
  assertOpen(invitation, now);
  assertReserved(attempt);
  if (attempt < maxWrongAttempts) return { refusal: wrongNumberError(maxWrongAttempts - attempt), effects: [metric('identityWrongNumber')] };
  const spent = { ...invitation.verification, wrongAttempts: Math.max(attempt, invitation.verification.wrongAttempts) };
  return { locks: lock({ ...invitation, verification: spent }, ticketId, now) };
};
