// What a decided ticket transition writes. Every value and every condition in it comes from the decider; an adapter
// only translates it into one transaction and names the parts whose condition found the state moved on.
import type { TicketStatus } from '../schemas/invitations.ts';
import type { Audited } from './audit.ts';
import { conflict, type AppError } from './errors.ts';
import type { Invitation } from './invitation.ts';
import type { InvitationChange } from './invitation-change.ts';
import type { Ticket, TicketEvent } from './ticket.ts';
import type { Transition } from './transition.ts';

export type TicketKey = Pick<Ticket, 'firmId' | 'householdId' | 'ticketId'>;

/** Fields a change sets on a stored ticket. */
export type TicketFields = Partial<
  Pick<Ticket, 'status' | 'decidedAt' | 'decidedBy' | 'note' | 'evidence' | 'assignee' | 'assignedAt' | 'notifiedAt' | 'notifyLeaseUntil'>
>;

/** Fields a change may clear. */
export type RemovableField = 'notifyLeaseUntil' | 'assignee' | 'assignedAt';

/** What must still hold of the stored ticket for the change to apply: the parts of the state its rule rests on. */
export interface TicketCondition {
  status?: TicketStatus;
  /** The ops inbox has not been told yet. */
  unnotified?: true;
  /** The email lease as read: held until this instant, or `free` (none). */
  lease?: { heldUntil: string } | 'free';
  /** Who holds the ticket as read: this ops user (sub), or null for nobody. */
  assignee?: string | null;
}

/**
 * `audit` says what happened to the ticket and, for a decision, to its invitation's verification (the nested
 * invitation change carries none); `events` (audit.ts recorded) are written with it, in the household's trail.
 */
export interface TicketChange extends Audited {
  key: TicketKey;
  /**
   * A new ticket, saved only if none has its id; or one filed whatever is stored unless a decision is (a cancellation
   * made without reading the ticket, whose history's last entry is its own and joins any history stored); or fields
   * set on the stored one (while `when` holds, if given), `record` joining its history and `remove` clearing fields.
   */
  write?:
    | { create: Ticket }
    | { file: Ticket }
    | { set: TicketFields; remove?: RemovableField[]; when?: TicketCondition; record?: TicketEvent };
  /** The ticket request's outbox entry is owed no more: ops were emailed, or nobody needs to be. */
  clearRequest?: true;
  /** What the decision does to the invitation behind the ticket, in the same transaction. */
  invitation?: InvitationChange;
}

/** The named parts of a ticket change's transaction: the ticket, and those of its invitation change. */
export type TicketPart = 'ticket' | 'ticketRequest' | 'invitation' | 'oldLink' | 'newLink' | 'lock' | `event${number}`;

/** Applied, or not because the named parts found the state moved on (nothing was written). */
export type TicketOutcome = { ok: true } | { ok: false; failed: TicketPart[] };

export type TicketTransition = Transition<Ticket, TicketChange>;

/** A decision changes the ticket and, unless it cancels the ticket, the invitation behind it. */
export type DecisionTransition = Transition<{ ticket: Ticket; invitation: Invitation | undefined }, TicketChange>;

/** The refusal a claim or release that did not apply amounts to: someone else changed the ticket first. */
export const claimRefusal = (): AppError => conflict('Someone else claimed or changed this ticket meanwhile; read it again');

export const keyOfTicket = (ticket: TicketKey): TicketKey => ({
  firmId: ticket.firmId,
  householdId: ticket.householdId,
  ticketId: ticket.ticketId,
});

/** The refusal a decision that did not apply amounts to, once reading again could not help. */
export const decisionRefusal = (outcome: Extract<TicketOutcome, { ok: false }>): AppError => {
  if (outcome.failed.includes('ticket')) return conflict('This ticket was decided or claimed by someone else meanwhile');
  if (outcome.failed.includes('lock')) return conflict('Another live invitation exists for that client in this household');
  return conflict('The invitation changed meanwhile (revoked or reissued); read the ticket again');
};
