// A verification ticket from its request to the ops inbox, as pure deciders: each takes the ticket (and invitation)
// as read and the time, and returns the state that follows, the change to write (conditioned on what it read) and
// the effects once that has committed. The decisions (approve, reject) are in ticket-decision.ts.
import type { TicketRequest } from '../schemas/invitations.ts';
import { isExpired, type Invitation } from './invitation.ts';
import { serviceActor } from './invitation-lifecycle.ts';
import { cancelledFromRequest, closed, raisedTicket, ticketHappened, type Ticket, type TicketEvent } from './ticket.ts';
import { keyOfTicket, type TicketTransition } from './ticket-change.ts';

/** Why nobody could ever decide this ticket, or undefined while its invitation waits for ops. */
export const whyUndecidable = (invitation: Invitation, ticket: Pick<Ticket, 'ticketId' | 'reason'>, now: Date): string | undefined => {
  if (invitation.state !== 'live') return `invitation ${invitation.state}`;
  if (isExpired(invitation, now)) return 'invitation expired';
  if (invitation.verification.ticketId !== ticket.ticketId) return 'invitation verification moved to another ticket';
  const awaiting = ticket.reason === 'verification_locked' ? 'locked' : 'pending_review';
  if (invitation.verification.status !== awaiting) return `verification already ${invitation.verification.status}`;
  return undefined;
};

export type RaiseOutcome = 'created' | 'duplicate' | 'cancelled';

/** What a delivery of a ticket request comes to; no transition when there is nothing to write. */
export interface Raising {
  outcome: RaiseOutcome;
  transition: TicketTransition | undefined;
}

const clearRequestOnly = (ticket: Ticket): Raising => ({
  outcome: 'duplicate',
  transition: { next: ticket, change: { key: keyOfTicket(ticket), clearRequest: true }, effects: [] },
});

/** Cancels an open ticket nobody can decide any more, only while it is still open, and clears its request. */
export const cancel = (ticket: Ticket, by: string, reason: string, now: Date): TicketTransition => {
  const at = now.toISOString();
  const event: TicketEvent = { action: 'cancelled', by, at };
  return {
    next: closed(ticket, 'cancelled', event, reason),
    change: {
      key: keyOfTicket(ticket),
      write: { set: { status: 'cancelled', decidedAt: at, decidedBy: by, note: reason }, when: { status: 'open' }, record: event },
      clearRequest: true,
      audit: [ticketHappened(ticket, 'ticket.cancelled', at, 'open', 'cancelled')],
    },
    effects: [{ kind: 'metric', name: 'ticketsCancelled' }],
  };
};

/** The request of an invitation that ended or moved on: its ticket is cancelled by the service, or filed cancelled. */
const cancelling = (request: TicketRequest, stored: Ticket | undefined, reason: string, now: Date): Raising => {
  if (stored) return { outcome: 'cancelled', transition: cancel(stored, serviceActor, reason, now) };
  const next = cancelledFromRequest(request, serviceActor, reason, now);
  return {
    outcome: 'cancelled',
    transition: {
      next,
      change: { key: keyOfTicket(next), write: { create: next }, clearRequest: true, audit: [ticketHappened(next, 'ticket.cancelled', next.createdAt, null, 'cancelled')] },
      effects: [{ kind: 'metric', name: 'ticketsCancelled' }],
    },
  };
};

/** Takes the right to email the ops inbox until `leaseMs` from now, unless another delivery holds it. */
const claimingNotification = (ticket: Ticket, now: Date, leaseMs: number): Raising => {
  const held = ticket.notifyLeaseUntil;
  if (held !== undefined && Date.parse(held) > now.getTime()) return { outcome: 'duplicate', transition: undefined };
  const notifyLeaseUntil = new Date(now.getTime() + leaseMs).toISOString();
  const next = { ...ticket, notifyLeaseUntil };
  const lease = held === undefined ? ('free' as const) : { heldUntil: held };
  return {
    outcome: 'duplicate',
    transition: {
      next,
      change: { key: keyOfTicket(ticket), write: { set: { notifyLeaseUntil }, when: { status: 'open', unnotified: true, lease } } },
      effects: [{ kind: 'email_ops', ticket: next }],
    },
  };
};

/**
 * One delivery of a ticket request, however often it comes: the first files the ticket and emails ops; a later one
 * emails ops only if no email was recorded and no other delivery holds the lease; a request nobody can decide any
 * more (its invitation ended or moved on) is filed cancelled, with why. Whatever is no longer owed leaves the outbox.
 */
export const raise = (
  request: TicketRequest,
  stored: { ticket: Ticket | undefined; invitation: Invitation | undefined },
  now: Date,
  leaseMs: number,
): Raising => {
  const { ticket, invitation } = stored;
  if (ticket && ticket.status !== 'open') return clearRequestOnly(ticket);
  // Never so in this service (the request is written with its invitation); filed open, so nothing is lost.
  const why = invitation === undefined ? undefined : whyUndecidable(invitation, request, now);
  if (why !== undefined) return cancelling(request, ticket, why, now);
  if (ticket?.notifiedAt !== undefined) return clearRequestOnly(ticket);
  if (ticket) return claimingNotification(ticket, now, leaseMs);
  const created = raisedTicket(request, now.toISOString());
  const next = { ...created, notifyLeaseUntil: new Date(now.getTime() + leaseMs).toISOString() };
  return {
    outcome: 'created',
    transition: {
      next,
      // The request stays in the outbox until ops are emailed, so a lost email is sent again.
      change: { key: keyOfTicket(next), write: { create: next }, audit: [ticketHappened(next, 'ticket.raised', next.createdAt, null, 'open')] },
      effects: [{ kind: 'metric', name: 'ticketsRaised' }, { kind: 'email_ops', ticket: next }],
    },
  };
};

/** Ops have their email: it is recorded, even on a ticket decided meanwhile, and the request owes nothing more. */
export const markNotified = (ticket: Ticket, now: Date): TicketTransition => {
  const at = now.toISOString();
  const { notifyLeaseUntil: _lease, ...rest } = ticket;
  return {
    next: { ...rest, notifiedAt: at },
    change: { key: keyOfTicket(ticket), write: { set: { notifiedAt: at }, remove: ['notifyLeaseUntil'] }, clearRequest: true },
    effects: [],
  };
};

/** Gives back a lease this delivery holds after a failed send, so the next delivery may send at once. */
export const releaseNotification = (ticket: Ticket): TicketTransition | undefined => {
  const held = ticket.notifyLeaseUntil;
  if (held === undefined) return undefined;
  const { notifyLeaseUntil: _lease, ...next } = ticket;
  return {
    next,
    change: { key: keyOfTicket(ticket), write: { set: {}, remove: ['notifyLeaseUntil'], when: { lease: { heldUntil: held } } } },
    effects: [],
  };
};
