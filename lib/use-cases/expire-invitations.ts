import { recorded, systemActor, type InRequest } from '../domain/audit.ts';
import { expire, metric } from '../domain/invitation-lifecycle.ts';
import { scheduledStep } from '../domain/invitation-reminders.ts';
import type { ExpiringLink, InvitationStore, Mailer, Outbox } from '../domain/ports.ts';
import { logger } from '../logger.ts';
import { outbox } from '../settings/timing.ts';
import { eachDue } from './each-due.ts';
import { recordMetrics } from './perform-effects.ts';
import { announce, type Announcing } from './publish-events.ts';
import { remindInvitation } from './remind-invitation.ts';

export interface ExpiryDeps extends InRequest, Announcing {
  outbox: Pick<Outbox, 'expiring' | 'unschedule' | 'fileUnderExpiry'>;
  /** For the one reminder a link gets at its reminder time (remind-invitation.ts). */
  mailer: Mailer;
  invitations: Pick<InvitationStore, 'get' | 'apply'>;
  now: () => Date;
  /** Time left in this invocation; no new invitation is started when it runs short. */
  remainingMs?: () => number;
}

export interface ExpiryResult {
  expired: number;
  /** Links at their reminder time whose client was emailed the one reminder. */
  reminded: number;
  /** Links at their reminder time that owed none (the client waits on ops, the email failed): now due at expiry. */
  rescheduled: number;
  /** Reminders marked sent whose email then failed: the link gets none (never two). */
  missed: number;
  /** Entries of invitations that had already ended without retiring their link (accepted): taken out of the schedule. */
  unscheduled: number;
  /** Invitations that moved on between the read and the write (a lock, a decision landing first): read again next run. */
  skipped: number;
  failed: number;
}

type Outcome = keyof ExpiryResult;

/**
 * One due link, by what its invitation, read now, makes of it (domain scheduledStep): at its reminder time the one
 * reminder (remind-invitation.ts); past its expiry the invitation, if still live on that link, is expired by the
 * pure `expire` transition, in one conditional transaction that frees the email's lock, kills the link (taking it
 * out of the schedule) and cancels a ticket still open. Any change that lands first fails that condition, and wins.
 */
const handle = async (deps: ExpiryDeps, link: ExpiringLink, now: Date): Promise<Outcome> => {
  const invitation = await deps.invitations.get(link.firmId, link.householdId, link.invitationId);
  const step = scheduledStep(link, invitation, now);
  if (invitation === undefined || step === 'unschedule') {
    // Not this link's live invitation any more: only the entry as read goes, never a live invitation's newer one.
    await deps.outbox.unschedule(link);
    return 'unscheduled';
  }
  if (step === 'not_due') return 'skipped';
  if (step !== 'expire') return remindInvitation(deps, link, invitation, step === 'remind', now);
  const transition = expire(invitation, now);
  const change = recorded(transition.change, systemActor, deps.requestId);
  const outcome = await deps.invitations.apply(change);
  if (!outcome.ok) return 'skipped';
  await announce(deps, change.events);
  recordMetrics([...transition.effects, metric('invitationsExpired')]);
  return 'expired';
};

/**
 * Reminds the clients whose link's reminder time has passed and ends the invitations whose expiry has, up to `limit`
 * links a run (one Query: each link is filed under the next of the two), so no ticket waits for ops on a link nobody
 * can use any more. Each is handled alone: one failure never stops the rest, and each is retried next run.
 */
export const expireInvitations = async (deps: ExpiryDeps, limit = 100): Promise<ExpiryResult> => {
  const now = deps.now();
  const due = await deps.outbox.expiring(now.toISOString(), limit);
  const counts: ExpiryResult = { expired: 0, reminded: 0, rescheduled: 0, missed: 0, unscheduled: 0, skipped: 0, failed: 0 };
  await eachDue(due, counts, {
    stop: () => deps.remainingMs !== undefined && deps.remainingMs() < outbox.stopMarginMs,
    handle: (link) => handle(deps, link, now),
    failed: (link, error) => logger.error('invitation not expired', { invitationId: link.invitationId, error: error as Error }),
  });
  if (due.length > 0) logger.info('invitations expired', { ...counts });
  return counts;
};
