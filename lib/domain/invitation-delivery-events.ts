// What SES reports about an invitation email after taking it, as pure deciders. A permanent bounce or a complaint
// ends the live invitation (bounced, complained) as a revocation would: its link dies, so the expiry schedule and any
// reminder, which work on live invitations, pass it by; its one-live-invitation lock is freed, so the advisor can
// invite a corrected address at once; an open ticket is cancelled. The inviting advisor is owed one email about it,
// written with the ending so it is never lost, and sent under a lease so two deliveries of an event never both send.
import type { Effect } from './transition.ts';
import { statusOf, type DeliveryNotice, type Invitation } from './invitation.ts';
import { keyOf, type InvitationKey, type InvitationTransition } from './invitation-change.ts';
import { end, metric, serviceActor } from './invitation-lifecycle.ts';

/** One SES event about one email, as lib/schemas/email-events.ts reads it off the queue. */
export type EmailEvent = {
  /** SES's id of the email (mail.messageId): for the logs, never a key. */
  messageId: string;
  /** The invitation the email was about, from its message tags; none for the ops and advisor emails. */
  invitation: InvitationKey | undefined;
} & (
  /** Only a Permanent bounce ends an invitation: SES keeps retrying a Transient one, and an Undetermined one may yet arrive. */
  | { kind: 'bounce'; permanent: boolean }
  | { kind: 'complaint' }
  | { kind: 'delivery' }
);

export type EmailEventOutcome =
  /** The event ended the live invitation now; the advisor is emailed. */
  | 'bounced'
  | 'complained'
  /** An earlier delivery ended it but could not email the advisor; this one does. */
  | 'notice_resumed'
  /** Already ended by an earlier delivery, and the advisor emailed or being emailed by another delivery. */
  | 'duplicate'
  /** It had ended otherwise first (accepted, revoked, expired): nothing to change. */
  | 'not_live'
  | 'delivered'
  | 'soft_bounce'
  | 'not_an_invitation'
  | 'unknown_invitation';

export interface EmailEventHandling {
  outcome: EmailEventOutcome;
  /** What to write, when anything; its effects are `effects`. */
  transition: InvitationTransition | undefined;
  /** What to do once the transition (if any) has committed. */
  effects: Effect[];
}

const nothing = (outcome: EmailEventOutcome, effects: Effect[] = []): EmailEventHandling => ({ outcome, transition: undefined, effects });

const leaseFrom = (now: Date, leaseMs: number) => new Date(now.getTime() + leaseMs).toISOString();

const handled = (outcome: EmailEventOutcome, transition: InvitationTransition): EmailEventHandling => ({ outcome, transition, effects: transition.effects });

/** A live invitation ends; the advisor's notice is owed in the same write, its lease held by this delivery. */
const ending = (invitation: Invitation, about: DeliveryNotice['about'], now: Date, leaseMs: number): EmailEventHandling => {
  const at = now.toISOString();
  // A token without an email claim gave no address to tell; nothing is owed then.
  const deliveryNotice = invitation.invitedByEmail === undefined ? undefined : { about, leaseUntil: leaseFrom(now, leaseMs) };
  const fields = about === 'bounced' ? { state: about, bouncedAt: at, deliveryNotice } : { state: about, complainedAt: at, deliveryNotice };
  const ended = end(invitation, { fields, expiry: { tokenHash: invitation.tokenHash, unexpiredAt: at }, by: serviceActor }, now);
  const effects: Effect[] = [
    ...ended.effects,
    metric(about === 'bounced' ? 'invitationsBounced' : 'invitationsComplained'),
    ...(deliveryNotice ? [{ kind: 'email_advisor_notice' as const, invitation: ended.next, notice: about }] : []),
  ];
  return handled(about, { ...ended, effects });
};

/** The notice as this delivery sets it, on condition that the lease is still the one read and nothing was sent. */
const noticeChange = (invitation: Invitation, notice: DeliveryNotice, now: Date): InvitationTransition => {
  const held = invitation.deliveryNotice!;
  return {
    next: { ...invitation, deliveryNotice: notice },
    change: {
      key: keyOf(invitation),
      at: now.toISOString(),
      write: { set: { deliveryNotice: notice }, when: { tokenHash: invitation.tokenHash, deliveryNoticeLease: held.leaseUntil } },
    },
    effects: [],
  };
};

/** An ended invitation whose notice is unsent and unleased (a failed send, a crash): this delivery takes the lease. */
const resumingNotice = (invitation: Invitation, now: Date, leaseMs: number): EmailEventHandling => {
  const notice = invitation.deliveryNotice;
  if (notice === undefined || notice.sentAt !== undefined || Date.parse(notice.leaseUntil) > now.getTime()) return nothing('duplicate');
  const taken = noticeChange(invitation, { ...notice, leaseUntil: leaseFrom(now, leaseMs) }, now);
  return handled('notice_resumed', { ...taken, effects: [{ kind: 'email_advisor_notice', invitation: taken.next, notice: notice.about }] });
};

/**
 * One delivery of an SES event, however often it comes: the first permanent bounce or complaint of a live
 * invitation ends it and owes the advisor one email; a later one only resumes that email if it was never sent.
 */
export const onEmailEvent = (invitation: Invitation | undefined, event: EmailEvent, now: Date, leaseMs: number): EmailEventHandling => {
  if (event.invitation === undefined) return nothing('not_an_invitation');
  if (event.kind === 'delivery') return nothing('delivered', [metric('invitationEmailsDelivered')]);
  if (event.kind === 'bounce' && !event.permanent) return nothing('soft_bounce', [metric('invitationEmailsSoftBounced')]);
  if (invitation === undefined) return nothing('unknown_invitation');
  if (invitation.state === 'bounced' || invitation.state === 'complained') return resumingNotice(invitation, now, leaseMs);
  const status = statusOf(invitation, now);
  if (status !== 'sent' && status !== 'send_failed') return nothing('not_live');
  return ending(invitation, event.kind === 'bounce' ? 'bounced' : 'complained', now, leaseMs);
};

/** The advisor has the email: recorded while this delivery's lease still holds. */
export const noticeSent = (invitation: Invitation, now: Date): InvitationTransition =>
  noticeChange(invitation, { ...invitation.deliveryNotice!, sentAt: now.toISOString() }, now);

/** Gives back the lease after a failed send, so the next delivery of the event may send at once. */
export const releaseNotice = (invitation: Invitation, now: Date): InvitationTransition =>
  noticeChange(invitation, { ...invitation.deliveryNotice!, leaseUntil: now.toISOString() }, now);
