import { timingSafeEqual } from 'node:crypto';
import { clientActor, recorded, type InRequest } from '../domain/audit.ts';
import { AppError } from '../domain/errors.ts';
import { linkWorks, portalView } from '../domain/invitation.ts';
import type { InvitationTransition } from '../domain/invitation-change.ts';
import {
  attemptsAbandoned,
  attemptsSpent,
  lock,
  lockedError,
  reserveAttempt,
  selfService,
  verify,
  wrongNumber,
  wrongNumberError,
} from '../domain/invitation-verification.ts';
import type { AccountHasher, AccountRestamper, HouseholdStore, InvitationStore, TicketQueue } from '../domain/ports.ts';
import { newId } from '../domain/ids.ts';
import { throttleSource } from '../domain/source-address.ts';
import { hashToken } from '../domain/token.ts';
import { logger } from '../logger.ts';
import { sleep } from '../sleep.ts';
import { businessMetrics, recordMetric } from '../metrics.ts';
import type { PortalInvitationView } from '../schemas/views.ts';
import { countFailure, limitsOf, linkNoLongerValid, openInvitationLink, type LinkDeps } from './open-invitation-link.ts';
import { queueTicketRequests, recordMetrics } from './perform-effects.ts';
import { announce, type Announcing } from './publish-events.ts';

export interface VerifyDeps extends LinkDeps, InRequest, Announcing {
  invitations: Pick<InvitationStore, 'findByToken' | 'apply'>;
  households: Pick<HouseholdStore, 'get'>;
  hasher: AccountHasher;
  ticketQueue: TicketQueue;
  /** Moves an account verified under the previous key onto the current one; without it hashes stay as they are. */
  restamp?: AccountRestamper;
}

const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

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
  if (selfService(invitation) === 'verified') return portalView(invitation, now);
  // Every attempt taken: no compare for this one; the answer is what those attempts settle into.
  if (attemptsSpent(invitation)) return answerAfterRace(deps, token, false);

  // Every compare counts against the source, before it happens: a throttled request never compares.
  await countFailure(deps, `account:${throttleSource(source)}`, { attempts: limitsOf(deps).wrongNumbers, windowSeconds: 3600 }).catch((error: unknown) => {
    recordMetric(businessMetrics.identityThrottled);
    throw error;
  });
  const reserved = await deps.invitations.apply(reserveAttempt(invitation, now).change);
  if (!reserved.ok || reserved.wrongAttempts === undefined) return answerAfterRace(deps, token, false);
  const attempt = reserved.wrongAttempts;

  const household = await deps.households.get(invitation.firmId, invitation.householdId);
  if (!household) throw linkNoLongerValid();
  // Under the current key, or during a rotation the previous one; a match under the previous key is re-stamped.
  const hashes = await deps.hasher.hashesToMatch(invitation.firmId, accountNumber);
  const matched = household.accounts.find((account) => hashes.some((hash) => sameHash(account.numberHash, hash)));
  if (matched) {
    const verified = verify(invitation, attempt, now);
    const change = recorded(verified.change, clientActor(invitation.invitationId), deps.requestId);
    if (!(await deps.invitations.apply(change)).ok) return answerAfterRace(deps, token, false);
    await announce(deps, change.events);
    recordMetrics(verified.effects);
    if (matched.numberHash !== hashes[0]) {
      await deps.restamp?.restamp(household, matched.accountId, matched.numberHash, hashes[0]!).catch(() => {
        logger.warn('account not re-stamped under the current key; the next verification retries', { invitationId: invitation.invitationId });
      });
    }
    return portalView(verified.next, now);
  }
  const wrong = wrongNumber(invitation, attempt, newId(), now);
  if ('refusal' in wrong) {
    recordMetrics(wrong.effects);
    throw wrong.refusal;
  }
  await applyLock(deps, wrong.locks);
  return answerAfterRace(deps, token, true);
};

/** Locks and raises the ticket; whoever loses this race finds the lock (or the verification) already there. */
const applyLock = async (deps: VerifyDeps, locked: InvitationTransition): Promise<void> => {
  const change = recorded(locked.change, clientActor(locked.next.invitationId), deps.requestId);
  if (!(await deps.invitations.apply(change)).ok) return;
  await announce(deps, change.events);
  recordMetrics(locked.effects);
  await queueTicketRequests(deps.ticketQueue, locked.effects);
  throw lockedError();
};

/** Pauses while another request's compare settles: one reserved attempt is compared within milliseconds. */
const settlePausesMs = [25, 50, 100, 200, 400];

/**
 * Another request changed the invitation between our read and our write, or holds the attempt this one could not
 * take: answer from what is stored once it settles (verified, or locked by the fifth wrong number). Attempts spent
 * and abandoned (a crash after the fifth reservation) are locked here, so no invitation stays stuck.
 */
const answerAfterRace = async (deps: VerifyDeps, token: string, wrong: boolean): Promise<PortalInvitationView> => {
  for (const pauseMs of [...settlePausesMs, undefined]) {
    const now = deps.now();
    const current = await deps.invitations.findByToken(hashToken(token));
    if (!current || !linkWorks(current, now)) throw linkNoLongerValid();
    if (wrong && current.verification.status === 'verified') throw wrongNumberError(0);
    if (selfService(current) === 'verified') return portalView(current, now);
    if (attemptsAbandoned(current, now)) await applyLock(deps, lock(current, newId(), now));
    if (pauseMs !== undefined) await sleep(pauseMs);
  }
  throw new AppError('conflict', 'The invitation changed meanwhile; please try again');
};
