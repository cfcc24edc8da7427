import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../domain/errors.ts';
import { linkWorks, maxWrongAttempts, portalView, ticketRequestFor, type Invitation } from '../domain/invitation.ts';
import type { AccountHasher, AccountRestamper, HouseholdStore, TicketQueue } from '../domain/ports.ts';
import { newId } from '../domain/ids.ts';
import { throttleSource } from '../domain/source-address.ts';
import { hashToken } from '../domain/token.ts';
import { logger } from '../logger.ts';
import { businessMetrics, recordMetric } from '../metrics.ts';
import type { PortalInvitationView } from '../schemas/views.ts';
import { countFailure, limitsOf, linkNoLongerValid, openInvitationLink, type LinkDeps } from './open-invitation-link.ts';

export interface VerifyDeps extends LinkDeps {
  households: HouseholdStore;
  hasher: AccountHasher;
  ticketQueue: TicketQueue;
  /** Moves an account verified under the previous key onto the current one; without it hashes stay as they are. */
  restamp?: AccountRestamper;
}

const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

const lockedError = () =>
  new AppError('locked', 'Too many wrong account numbers; our operations team will verify you and email you a new link');

const wrongNumber = (left: number) =>
  new AppError('invalid_account_number', `That account number does not match; ${left} ${left === 1 ? 'try' : 'tries'} left`, [
    { path: 'body.accountNumber', message: 'does not match an account of this household', attemptsLeft: left },
  ]);

/** Answers without comparing when verification has moved on: verified stays verified, the rest are refusals. */
const answerByState = (invitation: Invitation, now: Date): PortalInvitationView | undefined => {
  const { method, status } = invitation.verification;
  if (invitation.state !== 'live') throw new AppError('conflict', 'This invitation has already been accepted');
  if (method !== 'account_number') {
    throw new AppError('conflict', 'This invitation is verified by our operations team; there is nothing to enter');
  }
  if (status === 'verified') return portalView(invitation, now);
  if (status === 'locked' || status === 'pending_review') throw lockedError();
  if (status === 'rejected') throw new AppError('conflict', 'Verification was declined; please contact your advisor');
  return undefined;
};

/**
 * A client proves who they are with one of the household's account numbers. Each compare first takes one of five
 * attempts atomically (and passes the per-source throttle), so no race or throttle answer gives a free guess; the
 * fifth wrong number locks self-service and raises a verification ticket for the ops team.
 */
export const verifyIdentity = async (
  deps: VerifyDeps,
  token: string,
  accountNumber: string,
  source?: string,
): Promise<PortalInvitationView> => {
  const invitation = await openInvitationLink(deps, token, source);
  const now = deps.now();
  const settled = answerByState(invitation, now);
  if (settled) return settled;

  // Every compare counts against the source, before it happens: a throttled request never compares.
  await countFailure(deps, `account:${throttleSource(source)}`, { attempts: limitsOf(deps).wrongNumbers, windowSeconds: 3600 }).catch((error: unknown) => {
    recordMetric(businessMetrics.identityThrottled);
    throw error;
  });
  const attempt = await deps.invitations.reserveAttempt(invitation, now.toISOString());
  if (attempt === undefined) return answerAfterRace(deps, token, now, false);

  const household = await deps.households.get(invitation.firmId, invitation.householdId);
  if (!household) throw linkNoLongerValid();
  // Under the current key, or during a rotation the previous one; a match under the previous key is re-stamped.
  const hashes = await deps.hasher.hashesToMatch(invitation.firmId, accountNumber);
  const matched = household.accounts.find((account) => hashes.some((hash) => sameHash(account.numberHash, hash)));
  if (matched) {
    if (!(await deps.invitations.markVerified(invitation, now.toISOString()))) return answerAfterRace(deps, token, now, false);
    recordMetric(businessMetrics.identityVerified);
    if (matched.numberHash !== hashes[0]) {
      await deps.restamp?.restamp(household, matched.accountId, matched.numberHash, hashes[0]!).catch(() => {
        logger.warn('account not re-stamped under the current key; the next verification retries', { invitationId: invitation.invitationId });
      });
    }
    return portalView({ ...invitation, verification: { ...invitation.verification, status: 'verified' } }, now);
  }
  if (attempt < maxWrongAttempts) {
    recordMetric(businessMetrics.identityWrongNumber);
    throw wrongNumber(maxWrongAttempts - attempt);
  }
  await lock(deps, invitation, now);
  return answerAfterRace(deps, token, now, true);
};

/** Locks and raises the ticket; whoever loses this race finds the lock (or the verification) already there. */
const lock = async (deps: VerifyDeps, invitation: Invitation, now: Date): Promise<void> => {
  const withTicket = { ...invitation, verification: { ...invitation.verification, ticketId: newId() } };
  const request = ticketRequestFor(withTicket, 'verification_locked', now);
  if (!(await deps.invitations.lockVerification(invitation, now.toISOString(), request))) return;
  recordMetric(businessMetrics.identityLocked);
  await deps.ticketQueue.send([request]).catch(() => {
    logger.warn('ticket request not queued; the outbox sweeper will queue it', { invitationId: invitation.invitationId });
  });
  throw lockedError();
};

/**
 * Another request changed the invitation between our read and our write: answer from what is stored now.
 * Attempts spent but never locked (a crash after the fifth reservation) are locked here, so no invitation stays stuck.
 */
const answerAfterRace = async (deps: VerifyDeps, token: string, now: Date, wrong: boolean, rounds = 3): Promise<PortalInvitationView> => {
  const current = await deps.invitations.findByToken(hashToken(token));
  if (!current || !linkWorks(current, now)) throw linkNoLongerValid();
  if (wrong && current.verification.status === 'verified') throw wrongNumber(0);
  const settled = answerByState(current, now);
  if (settled) return settled;
  if (current.verification.wrongAttempts >= maxWrongAttempts && rounds > 0) {
    await lock(deps, current, now);
    return answerAfterRace(deps, token, now, wrong, rounds - 1);
  }
  throw new AppError('conflict', 'The invitation changed meanwhile; please try again');
};
