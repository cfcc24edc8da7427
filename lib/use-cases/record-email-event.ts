import { recorded, systemActor } from '../domain/audit.ts';
import type { Invitation } from '../domain/invitation.ts';
import { noticeSent, onEmailEvent, releaseNotice, type EmailEvent, type EmailEventOutcome } from '../domain/invitation-delivery-events.ts';
import type { InvitationStore, Mailer } from '../domain/ports.ts';
import { deliveryNoticeEmail } from '../email/messages.ts';
import { emailEvents, tableCallMaxMs } from '../settings/timing.ts';
import { recordMetrics } from './perform-effects.ts';
import { announce, type Announcing } from './publish-events.ts';
import { retryFor } from './retry-for.ts';

export interface RecordEmailEventDeps extends Announcing {
  invitations: Pick<InvitationStore, 'get' | 'apply'>;
  mailer: Mailer;
  now: () => Date;
  /** Time left in this invocation (Lambda's context.getRemainingTimeInMillis). */
  remainingMs?: (() => number) | undefined;
  /** The queue message's id, recorded with the household's audit events (invitation.bounced, .complained). */
  requestId: string;
}

const { noticeLeaseMs, recordRetryMs, sendAndRecordMs } = emailEvents;
/** Reads before giving the message back to the queue: each lost race means a client or another delivery moved on. */
const rounds = 3;

// Giving up leaves the lease to run out; the next delivery of the event then sends the notice a second time.
const recordSent = (deps: RecordEmailEventDeps, invitation: Invitation): Promise<void> =>
  retryFor({ forMs: recordRetryMs, firstDelayMs: 1_000, remainingMs: deps.remainingMs, marginMs: tableCallMaxMs }, async () => {
    const outcome = await deps.invitations.apply(noticeSent(invitation, deps.now()).change);
    if (!outcome.ok) throw new Error('could not record the advisor notice');
  });

/** Emails the advisor under the lease `invitation` holds, and records it; a failure gives the lease back and throws. */
const notify = async (deps: RecordEmailEventDeps, invitation: Invitation, notice: 'bounced' | 'complained'): Promise<void> => {
  const release = () => deps.invitations.apply(releaseNotice(invitation, deps.now()).change).catch(() => undefined);
  // Too little time left to send and record: an email sent now might never be recorded, and go out twice.
  if (deps.remainingMs && deps.remainingMs() < sendAndRecordMs) {
    await release();
    throw new Error('too little time left to email the advisor and record it; the event will be retried');
  }
  try {
    await deps.mailer.send(deliveryNoticeEmail(invitation, notice, invitation.invitedByEmail!));
  } catch (error) {
    await release();
    throw error;
  }
  await recordSent(deps, invitation);
};

/**
 * Records one SES event however often it arrives: a permanent bounce or a complaint ends the live invitation it
 * names and emails the inviting advisor once. Throws to have the message retried (the advisor still unnotified).
 */
export const recordEmailEvent = async (deps: RecordEmailEventDeps, event: EmailEvent): Promise<EmailEventOutcome> => {
  for (let round = 1; round <= rounds; round += 1) {
    const key = event.invitation;
    const invitation = key && (await deps.invitations.get(key.firmId, key.householdId, key.invitationId));
    const { outcome, transition, effects } = onEmailEvent(invitation, event, deps.now(), noticeLeaseMs);
    const change = transition && recorded(transition.change, systemActor, deps.requestId);
    if (change && !(await deps.invitations.apply(change)).ok) continue;
    await announce(deps, change?.events);
    recordMetrics(effects);
    for (const effect of effects) {
      if (effect.kind === 'email_advisor_notice') await notify(deps, effect.invitation, effect.notice);
    }
    return outcome;
  }
  throw new Error('the invitation kept changing while this event was recorded; the message will be retried');
};
