// The invitation's lifecycle as pure deciders: each takes the invitation as read and the time, and returns the
// state that follows, the change to write (conditioned on what it read) and the effects once that has committed,
// or refuses with an AppError. The account-number lockout is in invitation-verification.ts.
import type { businessMetrics } from '../metrics.ts';
import type { OutboxEntry } from './ports.ts';
import { AppError, conflict } from './errors.ts';
import {
  expiryFrom,
  maxSendsPerDay,
  newInvitation,
  recentSends,
  statusOf,
  ticketRequestFor,
  type Invitation,
  type NewInvitationInput,
} from './invitation.ts';
import type { AuditAction, Happening } from './audit.ts';
import { keyOf, type InvitationChange, type InvitationCondition, type InvitationTransition } from './invitation-change.ts';
import { accessFrom } from './portal-access.ts';
import { cancelledFromRequest, type Ticket } from './ticket.ts';
import { noticeOf, owing, unresentNotice } from './advisor-notices.ts';
import { hashToken } from './token.ts';
import type { Effect } from './transition.ts';

/** Who acts when no person does: an expiry, a sweep. */
export const serviceActor = 'portal-onboarding';

export const metric = (name: keyof typeof businessMetrics): Effect => ({ kind: 'metric', name });

const emailOf = (invitation: Invitation, token: string, template: 'invitation' | 'verified' = 'invitation'): Effect => ({
  kind: 'email_invitation',
  invitation,
  token,
  template,
});

/** Revoked, accepted, expired, bounced or complained: nothing changes it any more. */
const assertLive = (invitation: Invitation, now: Date, refusal = (status: string) => `The invitation is already ${status}`): void => {
  const status = statusOf(invitation, now);
  if (status !== 'sent' && status !== 'send_failed') throw conflict(refusal(status));
};

/** A live invitation's status as its trail records it: the expiry is an event of its own. */
const liveStatus = (invitation: Invitation) => (invitation.delivery === 'failed' ? 'send_failed' : 'sent');

/** An invitation's status changed from live to `to`, for its household's audit trail. */
export const happened = (invitation: Invitation, action: AuditAction, at: string, to: string): Happening => ({
  action,
  at,
  from: liveStatus(invitation),
  to,
  invitationId: invitation.invitationId,
});

/** The prospect's ticket request as it was made with the invitation, while the invitation still waits for ops. */
const prospectRequest = (invitation: Invitation) =>
  invitation.verification.method === 'manual' && invitation.verification.status === 'pending_review'
    ? ticketRequestFor(invitation, 'no_account', new Date(invitation.createdAt))
    : undefined;

/** An advisor invites someone: a live invitation, its link, the email's lock and, for a prospect, the ticket request. */
export const send = (input: Omit<NewInvitationInput, 'tokenHash'> & { token: string }): InvitationTransition => {
  const invitation = newInvitation({ ...input, tokenHash: hashToken(input.token) });
  const request = prospectRequest(invitation);
  return {
    next: invitation,
    change: {
      key: keyOf(invitation),
      at: invitation.createdAt,
      write: { create: invitation },
      link: { issue: { tokenHash: invitation.tokenHash, expiresAt: invitation.expiresAt } },
      lock: { take: { email: invitation.email, until: invitation.expiresAt } },
      emailOwed: true,
      ...(request ? { ticketRequest: { owe: request } } : {}),
      audit: [{ action: 'invitation.sent', at: invitation.createdAt, from: null, to: 'sent', invitationId: invitation.invitationId, ticketId: request?.ticketId }],
    },
    effects: [emailOf(invitation, input.token), ...(request ? [{ kind: 'queue_ticket_request' as const, request }] : [])],
  };
};

/**
 * A new link with a new expiry, emailed anew, as a resend and an ops approval issue it: the fields it sets, and the
 * parts of the change that kill the old link, point the new one here, take the email's lock until the new expiry
 * and owe the email until SES answers.
 */
export const freshLink = (invitation: Invitation, link: { token: string; expiresInDays: number }, now: Date) => {
  const at = now.toISOString();
  const fields = {
    tokenHash: hashToken(link.token),
    expiresAt: expiryFrom(now, link.expiresInDays),
    delivery: 'pending' as const,
    sends: [...recentSends(invitation, now), at],
    updatedAt: at,
  };
  const parts: Pick<InvitationChange, 'link' | 'lock' | 'emailOwed'> = {
    link: { retire: invitation.tokenHash, issue: { tokenHash: fields.tokenHash, expiresAt: fields.expiresAt } },
    lock: { take: { email: invitation.email, until: fields.expiresAt } },
    emailOwed: true,
  };
  return { fields, parts };
};

/** A new link with a new expiry; the old link dies. At most five emails a day, and never for a finished invitation. */
export const resend = (invitation: Invitation, link: { token: string; expiresInDays: number }, now: Date): InvitationTransition => {
  assertLive(invitation, now, (status) => `An ${status} invitation can't be resent`);
  if (recentSends(invitation, now).length >= maxSendsPerDay) {
    throw new AppError('rate_limited', `At most ${maxSendsPerDay} emails per invitation per 24 hours`);
  }
  const at = now.toISOString();
  const { fields, parts } = freshLink(invitation, link, now);
  const next = { ...invitation, ...fields };
  return {
    next,
    change: {
      key: keyOf(invitation),
      at,
      write: { set: fields, when: { tokenHash: invitation.tokenHash, state: 'live', unexpiredAt: at } },
      ...parts,
      audit: [happened(invitation, 'invitation.resent', at, 'sent')],
    },
    effects: [emailOf(next, link.token)],
  };
};

/** A live invitation whose email SES has not answered for: nobody may have sent it. */
export const awaitsDelivery = (invitation: Invitation, now: Date): boolean =>
  invitation.delivery === 'pending' && (statusOf(invitation, now) === 'sent' || statusOf(invitation, now) === 'send_failed');

/** The email SES never answered for (still pending) is sent by this request, on a new link since only hashes are kept. */
export const takeOverDelivery = (invitation: Invitation, token: string, now: Date): InvitationTransition => {
  if (!awaitsDelivery(invitation, now)) throw conflict('The invitation email was already answered for, or the invitation ended');
  const at = now.toISOString();
  const tokenHash = hashToken(token);
  const next = { ...invitation, tokenHash, updatedAt: at };
  const request = prospectRequest(invitation);
  return {
    next,
    change: {
      key: keyOf(invitation),
      at,
      write: { set: { tokenHash, updatedAt: at }, when: { tokenHash: invitation.tokenHash, delivery: 'pending', state: 'live' } },
      link: { retire: invitation.tokenHash, issue: { tokenHash, expiresAt: invitation.expiresAt } },
      emailOwed: true,
    },
    effects: [emailOf(next, token), ...(request ? [{ kind: 'queue_ticket_request' as const, request }] : [])],
  };
};

/** What SES answered for the email carrying the invitation's current link; a newer link records its own answer. */
export const recordDelivery = (invitation: Invitation, outcome: 'sent' | 'failed', now: Date): InvitationTransition => {
  const at = now.toISOString();
  const fields = { delivery: outcome, updatedAt: at, ...(outcome === 'sent' ? { sentAt: at } : {}) };
  return {
    next: { ...invitation, ...fields },
    change: {
      key: keyOf(invitation),
      at,
      write: { set: fields, when: { tokenHash: invitation.tokenHash } },
      // A failed send the advisor has not resent within a day is told to them then.
      ...owing(outcome === 'failed' ? unresentNotice(invitation.tokenHash, now) : undefined),
      emailOwed: false,
      ...(outcome === 'failed' ? { audit: [happened(invitation, 'invitation.send_failed', at, 'send_failed')] } : {}),
    },
    effects: [metric(outcome === 'sent' ? 'invitationsSent' : 'invitationsFailed')],
  };
};

/**
 * The sweeper's half of recording delivery: an email still pending past its grace period never got an answer, so it
 * is send_failed and the advisor can resend. Only while it is still pending on the link and outbox slot it read.
 */
export const emailUnanswered = (entry: Pick<OutboxEntry, 'firmId' | 'householdId' | 'invitationId' | 'tokenHash' | 'sortKey'>, now: Date): InvitationChange => {
  const at = now.toISOString();
  return {
    key: { firmId: entry.firmId, householdId: entry.householdId, invitationId: entry.invitationId },
    at,
    write: {
      set: { delivery: 'failed', updatedAt: at },
      when: { tokenHash: entry.tokenHash ?? '', delivery: 'pending', emailOutboxSlot: entry.sortKey },
    },
    advisorNotice: unresentNotice(entry.tokenHash ?? '', now),
    emailOwed: false,
    audit: [{ action: 'invitation.send_failed', at, from: 'sent', to: 'send_failed', invitationId: entry.invitationId }],
  };
};

/** The ticket an invitation waits on, if ops could still decide it: it goes with the invitation. */
const openTicketOf = (invitation: Invitation, by: string, note: string, now: Date): Ticket | undefined => {
  const { ticketId, status } = invitation.verification;
  if (ticketId === undefined || (status !== 'pending_review' && status !== 'locked')) return undefined;
  const request = ticketRequestFor(invitation, status === 'locked' ? 'verification_locked' : 'no_account', now);
  return cancelledFromRequest(request, by, note, now);
};

/** How an invitation ended, and what is recorded with it. */
export type Ending = Partial<Pick<Invitation, 'revokedAt' | 'expiredAt' | 'bouncedAt' | 'complainedAt' | 'deliveryNotice'>> & {
  state: Exclude<Invitation['state'], 'live' | 'accepted'>;
};

/** Ends a live invitation: its link dies, its lock is freed and a ticket still open is cancelled with it. */
export const end = (
  invitation: Invitation,
  ending: { fields: Ending; expiry: InvitationCondition; by: string },
  now: Date,
): InvitationTransition => {
  const at = now.toISOString();
  const fields = { ...ending.fields, updatedAt: at };
  const ticket = openTicketOf(invitation, ending.by, `invitation ${fields.state}`, now);
  const cancelled: Happening[] = ticket ? [{ action: 'ticket.cancelled', at, from: 'open', to: 'cancelled', invitationId: invitation.invitationId, ticketId: ticket.ticketId }] : [];
  return {
    next: { ...invitation, ...fields },
    change: {
      key: keyOf(invitation),
      at,
      write: {
        set: fields,
        // As read: a lock (and its ticket) or a decision landing first fails this, and the caller reads again.
        when: { ...ending.expiry, tokenHash: invitation.tokenHash, state: 'live', verificationStatus: invitation.verification.status },
      },
      link: { retire: invitation.tokenHash },
      lock: { free: { email: invitation.email } },
      emailOwed: false,
      ...(ticket ? { ticketRequest: { clear: ticket.ticketId }, cancelTicket: ticket } : {}),
      audit: [happened(invitation, `invitation.${fields.state}`, at, fields.state), ...cancelled],
    },
    effects: ticket ? [metric('ticketsCancelled')] : [],
  };
};

/** An advisor withdraws the invitation; any open verification ticket is cancelled, even one still on its way to ops. */
export const revoke = (invitation: Invitation, by: string, now: Date): InvitationTransition => {
  assertLive(invitation, now);
  const at = now.toISOString();
  return end(invitation, { fields: { state: 'revoked', revokedAt: at }, expiry: { tokenHash: invitation.tokenHash, unexpiredAt: at }, by }, now);
};

/** Past its expiry a live invitation is ended for good: the email is free for a new one and its ticket cancelled. */
export const expire = (invitation: Invitation, now: Date): InvitationTransition => {
  if (invitation.state !== 'live') throw conflict(`The invitation is already ${invitation.state}`);
  if (statusOf(invitation, now) !== 'expired') throw conflict('The invitation has not expired yet');
  const at = now.toISOString();
  return end(invitation, { fields: { state: 'expired', expiredAt: at }, expiry: { tokenHash: invitation.tokenHash, expiredBy: at }, by: serviceActor }, now);
};

/**
 * A verified client accepts once; the email is then free for another invitation, and the client may sign in to the
 * household's portal from now on. The link keeps showing "done".
 */
export const accept = (invitation: Invitation, now: Date): InvitationTransition => {
  if (invitation.state === 'accepted') throw conflict('This invitation has already been accepted');
  assertLive(invitation, now);
  if (invitation.verification.status !== 'verified') throw conflict('Your identity has to be verified before you can accept');
  const at = now.toISOString();
  const fields = { state: 'accepted' as const, acceptedAt: at, updatedAt: at };
  return {
    next: { ...invitation, ...fields },
    change: {
      key: keyOf(invitation),
      at,
      write: { set: fields, when: { tokenHash: invitation.tokenHash, state: 'live', verificationStatus: 'verified', unexpiredAt: at } },
      ...owing(noticeOf(invitation, 'accepted', now)),
      lock: { free: { email: invitation.email } },
      portalAccess: accessFrom(invitation, at),
      audit: [happened(invitation, 'invitation.accepted', at, 'accepted')],
    },
    effects: [],
  };
};
