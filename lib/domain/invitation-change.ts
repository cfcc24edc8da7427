// What a decided invitation transition writes. Every value in it was computed by the decider from the state it
// read; an adapter only translates it into one transaction and says which part of it found the state moved on.
import type { TicketRequest, VerificationStatus } from '../schemas/invitations.ts';
import type { Audited } from './audit.ts';
import type { AdvisorNotice } from './advisor-notices.ts';
import { conflict, type AppError } from './errors.ts';
import type { Delivery, Invitation } from './invitation.ts';
import type { PortalAccess } from './portal-access.ts';
import type { Ticket } from './ticket.ts';
import type { Transition } from './transition.ts';

export type InvitationKey = Pick<Invitation, 'firmId' | 'householdId' | 'invitationId'>;

/** Fields a change sets on the stored invitation; verification's one by one, the rest of it left as stored. */
export type InvitationFields = Partial<Omit<Invitation, keyof InvitationKey | 'verification'>> & {
  verification?: Partial<Invitation['verification']>;
};

/**
 * What must still hold of the stored invitation for the change to apply: the parts of the state the decider read
 * that its rule rests on. Anything else may have moved meanwhile.
 */
export interface InvitationCondition {
  /** The link as read: every change is to the invitation behind one link. */
  tokenHash: string;
  state?: Invitation['state'];
  delivery?: Delivery;
  verificationStatus?: VerificationStatus;
  /** Its expiry is later than this instant. */
  unexpiredAt?: string;
  /** Its expiry is at or before this instant. */
  expiredBy?: string;
  /** Bounds on verification.wrongAttempts (an invitation without a count has made none). */
  wrongAttempts?: { below?: number; atLeast?: number; atMost?: number };
  /** Its email's outbox slot, as the sweeper read it (OutboxEntry.sortKey). */
  emailOutboxSlot?: string;
  /** Its advisor's bounce or complaint notice is unsent, under the lease as read (Invitation.deliveryNotice). */
  deliveryNoticeLease?: string;
}

/** `audit` says what happened; `events` (audit.ts recorded) are written with it, in the same transaction. */
export interface InvitationChange extends Audited {
  key: InvitationKey;
  /** When it happens: the lock's expiry check and every outbox due time count from it. */
  at: string;
  /**
   * A new invitation, saved only if its id is free; or fields set on the stored one while `when` holds, with
   * `countAttempt` adding one to verification.wrongAttempts in the same atomic write.
   */
  write: { create: Invitation } | { set: InvitationFields; when: InvitationCondition; countAttempt?: true };
  /** The link: `retire` deletes that hash's pointer; `issue` points a new hash at this invitation until the link's expiry. */
  link?: { retire?: string; issue?: { tokenHash: string; expiresAt: string } };
  /**
   * The one-live-invitation-per-email lock: taken until `until` (only if free, expired or already this invitation's),
   * or freed if this invitation still holds it.
   */
  lock?: { take: { email: string; until: string } } | { free: { email: string } };
  /** The invitation email is owed until SES answers (the sweeper repairs it after the grace period), or no longer owed. */
  emailOwed?: boolean;
  /** A ticket request owed to the ops queue (kept in the outbox until ops are emailed), or no longer owed. */
  ticketRequest?: { owe: TicketRequest } | { clear: string };
  /** A ticket nobody can decide any more, filed cancelled; one already decided stays as it is. */
  cancelTicket?: Ticket;
  /** An email owed to the inviting advisor about this change (advisor-notices.ts), filed for the sweeper with it. */
  advisorNotice?: AdvisorNotice;
  /** The household's portal opened to the client (on acceptance), filed under their email for signing in later. */
  portalAccess?: PortalAccess;
}

/**
 * What became of a change: applied (with the attempt's number when it counted one), or not, because the invitation
 * was no longer as read, or because another live invitation holds the email's lock.
 */
export type ChangeOutcome = { ok: true; wrongAttempts?: number } | { ok: false; failed: 'invitation' | 'lock' };

export type InvitationTransition = Transition<Invitation, InvitationChange>;

export const changedMeanwhile = (): AppError => conflict('The invitation changed meanwhile; read it again and retry');

export const emailTaken = (): AppError => conflict('Another live invitation exists for that email in this household');

/** The refusal a change that did not apply amounts to, for the transitions that have no better answer. */
export const refusalOf = (outcome: Extract<ChangeOutcome, { ok: false }>): AppError =>
  outcome.failed === 'lock' ? emailTaken() : changedMeanwhile();

export const keyOf = (invitation: Invitation): InvitationKey => ({
  firmId: invitation.firmId,
  householdId: invitation.householdId,
  invitationId: invitation.invitationId,
});
