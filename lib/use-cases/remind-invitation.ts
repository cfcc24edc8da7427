import type { Invitation } from '../domain/invitation.ts';
import type { ExpiringLink, Mailer, Outbox } from '../domain/ports.ts';
import { reminderEmail } from '../email/messages.ts';
import { logger } from '../logger.ts';
import { businessMetrics, recordMetric } from '../metrics.ts';
import { sesSendMaxMs, tableCallMaxMs } from '../settings/timing.ts';

export interface ReminderDeps {
  outbox: Pick<Outbox, 'fileUnderExpiry'>;
  mailer: Mailer;
  remainingMs?: () => number;
}

/**
 * `reminded`: this run sent it; `rescheduled`: none was owed, so the link waits for its expiry; `skipped`: another
 * run or a change to the invitation came first, or too little time was left; `missed`: marked, then not sent.
 */
export type ReminderOutcome = 'reminded' | 'rescheduled' | 'skipped' | 'missed';

/**
 * A link at its reminder time. With a reminder owed, the link is first marked reminded and moved to its expiry in one
 * conditional write, then the email goes: of two runs only the one that moved it sends, and a failure after the mark
 * loses the reminder rather than risking a second one (SES may have taken an email whose call failed).
 */
export const remindInvitation = async (deps: ReminderDeps, link: ExpiringLink, invitation: Invitation, owed: boolean, now: Date): Promise<ReminderOutcome> => {
  if (!owed) return (await deps.outbox.fileUnderExpiry(link)) ? 'rescheduled' : 'skipped';
  // A mark this run could not follow with the email would only lose the reminder: the next run has the time.
  if (deps.remainingMs && deps.remainingMs() < sesSendMaxMs + tableCallMaxMs) return 'skipped';
  if (!(await deps.outbox.fileUnderExpiry(link, now.toISOString()))) return 'skipped';
  try {
    await deps.mailer.send(reminderEmail(invitation));
  } catch (error) {
    logger.error('invitation reminder not sent; the link gets none', { invitationId: invitation.invitationId, error: error as Error });
    return 'missed';
  }
  recordMetric(businessMetrics.remindersSent);
  return 'reminded';
};
