import type { Evidence, TicketReason, TicketRequest, TicketStatus } from '../schemas/invitations.ts';
import type { TicketView } from '../schemas/views.ts';
import type { AuditAction, Happening } from './audit.ts';

/** One step in a ticket's life, with who took it and when; the ops desk shows them in order. */
export interface TicketEvent {
  action: 'raised' | 'claimed' | 'released' | 'decided' | 'cancelled';
  by: string;
  at: string;
}

export interface Ticket {
  ticketId: string;
  type: 'verification_bypass';
  reason: TicketReason;
  firmId: string;
  firmName?: string | undefined;
  householdId: string;
  householdName: string;
  invitationId: string;
  client: { firstName: string; lastName: string; email: string };
  requestedBy: string;
  status: TicketStatus;
  createdAt: string;
  /** The ops user (sub) working it: one at a time, and only they decide it while they hold it. */
  assignee?: string | undefined;
  assignedAt?: string | undefined;
  decidedAt?: string | undefined;
  decidedBy?: string | undefined;
  note?: string | undefined;
  /** How ops made sure of the client (required to approve). */
  evidence?: Evidence | undefined;
  /** Oldest first; tickets filed before history was kept have none. */
  history?: TicketEvent[] | undefined;
  /** When the ops inbox was told about it; it is told once. */
  notifiedAt?: string | undefined;
  /** Until when one delivery of the request holds the right to email the ops inbox. */
  notifyLeaseUntil?: string | undefined;
}

/** A ticket's status (or, for a claim, its assignee) went from `from` to `to`, for its household's audit trail. */
export const ticketHappened = (
  ticket: Pick<Ticket, 'ticketId' | 'invitationId'>,
  action: AuditAction,
  at: string,
  from: string | null,
  to: string | null,
): Happening => ({ action, at, from, to, invitationId: ticket.invitationId, ticketId: ticket.ticketId });

export const ticketFrom = (request: TicketRequest, status: TicketStatus, now: string): Ticket => ({
  ticketId: request.ticketId,
  type: 'verification_bypass',
  reason: request.reason,
  firmId: request.firmId,
  firmName: request.firmName,
  householdId: request.householdId,
  householdName: request.householdName,
  invitationId: request.invitationId,
  client: request.client,
  requestedBy: request.requestedBy,
  status,
  createdAt: now,
});

/** A closing step: the ticket leaves the open queue with who closed it, when and why. */
export const closed = (ticket: Ticket, status: Exclude<Ticket['status'], 'open'>, event: TicketEvent, note: string | undefined): Ticket => ({
  ...ticket,
  status,
  decidedAt: event.at,
  decidedBy: event.by,
  ...(note === undefined ? {} : { note }),
  history: [...(ticket.history ?? []), event],
});

export const raisedTicket = (request: TicketRequest, at: string): Ticket => ({
  ...ticketFrom(request, 'open', at),
  history: [{ action: 'raised', by: request.requestedBy, at }],
});

/**
 * The ticket of a request nobody can decide any more, cancelled by `by` for `reason`; filed without reading what is
 * stored when an invitation that ends takes its ticket with it (even one still on its way to ops).
 */
export const cancelledFromRequest = (request: TicketRequest, by: string, reason: string, now: Date): Ticket => {
  const at = now.toISOString();
  return closed(raisedTicket(request, at), 'cancelled', { action: 'cancelled', by, at }, reason);
};

const present = <K extends keyof Ticket>(ticket: Ticket, ...fields: K[]): Partial<Pick<Ticket, K>> =>
  Object.fromEntries(fields.filter((field) => ticket[field] !== undefined).map((field) => [field, ticket[field]])) as Partial<Pick<Ticket, K>>;

/** What ops see of a ticket read at `now`: everything but the ops-email bookkeeping, with its age. */
export const ticketView = (ticket: Ticket, now: Date): TicketView => ({
  ticketId: ticket.ticketId,
  type: ticket.type,
  reason: ticket.reason,
  firmId: ticket.firmId,
  householdId: ticket.householdId,
  householdName: ticket.householdName,
  invitationId: ticket.invitationId,
  client: ticket.client,
  requestedBy: ticket.requestedBy,
  status: ticket.status,
  createdAt: ticket.createdAt,
  ageSeconds: Math.max(0, Math.floor((now.getTime() - Date.parse(ticket.createdAt)) / 1000)),
  ...present(ticket, 'firmName', 'assignee', 'assignedAt', 'decidedAt', 'decidedBy', 'note', 'evidence', 'history'),
});
