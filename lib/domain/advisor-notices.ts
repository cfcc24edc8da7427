// The emails the inviting advisor is owed about an invitation, one per event: the client accepted, self-service
// locked after the fifth wrong account number, or the invitation's email failed and nobody resent it within a day.
// Each is owed in the transaction that makes the event happen (InvitationChange.advisorNotice), so it is never lost;
// the minute sweeper sends it under a lease and then clears it (lib/use-cases/send-advisor-notices.ts). The bounce
// and complaint notices ride their own SES event (invitation-delivery-events.ts).
import type { Invitation } from './invitation.ts';

export type AdvisorNoticeEvent = 'accepted' | 'locked' | 'send_failed';

export interface AdvisorNotice {
  event: AdvisorNoticeEvent;
  /** The link current when it happened: a failed send is told about only while that link is still the current one. */
  tokenHash: string;
  /** When the sweeper sends it: at once, or for a failed send a day later, unless it was resent meanwhile. */
  dueAt: string;
}

/** How long a failed send may wait for a resend before the advisor is told. */
export const unresentNoticeDelayMs = 24 * 60 * 60 * 1000;

/** An acceptance's or a lock's notice, due at once; none when the advisor's token carried no email to tell. */
export const noticeOf = (invitation: Invitation, event: 'accepted' | 'locked', now: Date): AdvisorNotice | undefined =>
  invitation.invitedByEmail === undefined ? undefined : { event, tokenHash: invitation.tokenHash, dueAt: now.toISOString() };

/**
 * A failed send's notice, due a day later. Owed even where the invitation was not read (the sweeper marking an
 * unanswered email): whether anyone is told is settled when it is due (noticeRecipient).
 */
export const unresentNotice = (tokenHash: string, now: Date): AdvisorNotice => ({
  event: 'send_failed',
  tokenHash,
  dueAt: new Date(now.getTime() + unresentNoticeDelayMs).toISOString(),
});

/** Adds an owed notice to a change, when there is one. */
export const owing = (notice: AdvisorNotice | undefined): { advisorNotice?: AdvisorNotice } => (notice ? { advisorNotice: notice } : {});

/**
 * Whom a due notice goes to, given the invitation as read now; undefined when it no longer stands. A failed send
 * stands while its link is still the current one and still failed, whether the invitation is live or has since
 * expired; a resend (a new link), a revocation, an acceptance or a bounce settles it.
 */
export const noticeRecipient = (notice: Pick<AdvisorNotice, 'event' | 'tokenHash'>, invitation: Invitation | undefined): string | undefined => {
  if (invitation?.invitedByEmail === undefined) return undefined;
  if (notice.event !== 'send_failed') return invitation.invitedByEmail;
  const unresent =
    invitation.tokenHash === notice.tokenHash && invitation.delivery === 'failed' && (invitation.state === 'live' || invitation.state === 'expired');
  return unresent ? invitation.invitedByEmail : undefined;
};
