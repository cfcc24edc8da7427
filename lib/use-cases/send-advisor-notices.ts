import { noticeRecipient } from '../domain/advisor-notices.ts';
import type { DueNotice, InvitationStore, Mailer, Outbox } from '../domain/ports.ts';
import { equalJitterMs } from '../backoff.ts';
import { advisorNoticeEmail } from '../email/messages.ts';
import { logger } from '../logger.ts';
import { businessMetrics, recordMetric } from '../metrics.ts';
import { outbox, sesSendMaxMs, tableCallMaxMs } from '../settings/timing.ts';
import type { RetrySettings } from './sweep-outbox.ts';
import { eachDue } from './each-due.ts';
import { retryFor } from './retry-for.ts';

export interface NoticeDeps {
  outbox: Pick<Outbox, 'notices' | 'leaseNotice' | 'clearNotice'>;
  invitations: Pick<InvitationStore, 'get'>;
  mailer: Mailer;
  now: () => Date;
  /** The outbox's: tries per notice, and the backoff between them. */
  retry: () => RetrySettings;
  remainingMs?: () => number;
  random?: () => number;
}

export interface NoticeResult {
  sent: number;
  /** Notices that no longer stood when due (resent in time, no advisor email): cleared unsent. */
  dropped: number;
  /** Held by another run, or replaced meanwhile. */
  skipped: number;
  /** Sends or reads that failed: each is tried again once its lease runs out, up to the outbox's limit. */
  failed: number;
}

type Outcome = keyof NoticeResult;

/** One send and the table calls around it: no run finds a notice due while another may still be sending it. */
const sendAndClearMs = sesSendMaxMs + 2 * tableCallMaxMs;

/** A sent notice whose clear fails is cleared again (safe); only if that keeps failing does its lease run out and it go twice. */
const clear = (deps: NoticeDeps, notice: DueNotice) =>
  retryFor({ forMs: 10_000, firstDelayMs: 500, remainingMs: deps.remainingMs, marginMs: tableCallMaxMs }, () => deps.outbox.clearNotice(notice));

/**
 * One due notice: held first (a conditional move of its due time, which doubles as its retry time), then sent to the
 * advisor if it still stands for the invitation as read now, then cleared. Past the outbox's try limit it is given
 * up, with an error in the log.
 */
const handle = async (deps: NoticeDeps, notice: DueNotice, now: Date): Promise<Outcome> => {
  const settings = deps.retry();
  if (notice.attempts >= settings.maxAttempts) {
    logger.error('advisor notice given up', { invitationId: notice.invitationId, event: notice.event, attempts: notice.attempts });
    await deps.outbox.clearNotice(notice);
    return 'failed';
  }
  const waitMs = Math.max(sendAndClearMs, equalJitterMs(notice.attempts + 1, settings, deps.random ?? Math.random));
  const held = await deps.outbox.leaseNotice(notice, new Date(now.getTime() + waitMs).toISOString());
  if (held === undefined) return 'skipped';
  const invitation = await deps.invitations.get(notice.firmId, notice.householdId, notice.invitationId);
  const to = noticeRecipient(notice, invitation);
  if (invitation === undefined || to === undefined) {
    await deps.outbox.clearNotice(held);
    return 'dropped';
  }
  await deps.mailer.send(advisorNoticeEmail(invitation, notice.event, to));
  recordMetric(businessMetrics.advisorNotices);
  await clear(deps, held);
  return 'sent';
};

/**
 * Emails the inviting advisors what they are owed (accepted, locked, a failed send not resent within a day), each
 * notice alone so one failure never stops the rest, up to `limit` a run.
 */
export const sendAdvisorNotices = async (deps: NoticeDeps, limit = 100): Promise<NoticeResult> => {
  const now = deps.now();
  const due = await deps.outbox.notices(now.toISOString(), limit);
  const counts: NoticeResult = { sent: 0, dropped: 0, skipped: 0, failed: 0 };
  await eachDue(due, counts, {
    // A notice held and then not sent only waits for its lease; better not to start one that can't finish.
    stop: () => deps.remainingMs !== undefined && deps.remainingMs() < Math.max(outbox.stopMarginMs, sendAndClearMs),
    handle: (notice) => handle(deps, notice, now),
    failed: (notice, error) =>
      logger.error('advisor notice not sent; tried again later', { invitationId: notice.invitationId, event: notice.event, error: error as Error }),
  });
  if (due.length > 0) logger.info('advisor notices', { ...counts });
  return counts;
};
