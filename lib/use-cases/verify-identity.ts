import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../domain/errors.ts';
import { maxWrongAttempts, portalView, ticketRequestFor, type Invitation } from '../domain/invitation.ts';
import type { AccountHasher, HouseholdStore, TicketQueue } from '../domain/ports.ts';
import { newId } from '../domain/ids.ts';
import { logger } from '../logger.ts';
import type { PortalInvitationView } from '../schemas/views.ts';
import { countFailure, limitsOf, linkNoLongerValid, openInvitationLink, type LinkDeps } from './open-invitation-link.ts';

export interface VerifyDeps extends LinkDeps {
  households: HouseholdStore;
  hasher: AccountHasher;
  ticketQueue: TicketQueue;
}

const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

const lockedError = () =>
  new AppError('locked', 'Too many wrong account numbers; our operations team will verify you and email you a new link');

/**
 * A client proves who they are with one of the household's account numbers. The fifth wrong number
 * locks self-service and raises a verification ticket for the ops team.
 */
export const verifyIdentity = async (
  deps: VerifyDeps,
  token: string,
  accountNumber: string,
  source?: string,
): Promise<PortalInvitationView> => {
  const invitation = await openInvitationLink(deps, token, source);
  const now = deps.now();
  const { method, status } = invitation.verification;
  if (invitation.state !== 'live') throw new AppError('conflict', 'This invitation has already been accepted');
  if (method !== 'account_number') {
    throw new AppError('conflict', 'This invitation is verified by our operations team; there is nothing to enter');
  }
  if (status === 'verified') return portalView(invitation, now);
  if (status === 'locked' || status === 'pending_review') throw lockedError();
  if (status === 'rejected') throw new AppError('conflict', 'Verification was declined; please contact your advisor');

  const household = await deps.households.get(invitation.firmId, invitation.householdId);
  if (!household) throw linkNoLongerValid();
  const hash = await deps.hasher.hash(invitation.firmId, accountNumber);
  if (household.accounts.some((account) => sameHash(account.numberHash, hash))) {
    return portalView(await deps.invitations.markVerified(invitation, now.toISOString()), now);
  }
  await countFailure(deps, `account:${source ?? 'unknown'}`, { attempts: limitsOf(deps).wrongNumbers, windowSeconds: 3600 });
  return recordWrongNumber(deps, invitation, now);
};

const recordWrongNumber = async (deps: VerifyDeps, invitation: Invitation, now: Date): Promise<never> => {
  const attempts = invitation.verification.wrongAttempts + 1;
  if (attempts < maxWrongAttempts) {
    await deps.invitations.recordWrongAttempt(invitation, now.toISOString(), undefined);
    const left = maxWrongAttempts - attempts;
    throw new AppError('invalid_account_number', `That account number does not match; ${left} ${left === 1 ? 'try' : 'tries'} left`, [
      { path: 'body.accountNumber', message: 'does not match an account of this household', attemptsLeft: left },
    ]);
  }
  const withTicket = { ...invitation, verification: { ...invitation.verification, ticketId: newId() } };
  const request = ticketRequestFor(withTicket, 'verification_locked', now);
  await deps.invitations.recordWrongAttempt(invitation, now.toISOString(), request);
  await deps.ticketQueue.send([request]).catch(() => {
    logger.warn('ticket request not queued; the outbox sweeper will queue it', { invitationId: invitation.invitationId });
  });
  throw lockedError();
};
