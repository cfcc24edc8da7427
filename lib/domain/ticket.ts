import type { TicketReason, TicketRequest, TicketStatus } from '../schemas/invitations.ts';
import type { TicketView } from '../schemas/views.ts';

/** One step in a ticket's life, with who took it and when; the ops desk shows them in order. */
export interface TicketEvent {
  action: 'raised' | 'cancelled' | 'decided';
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
  decidedAt?: string | undefined;
  decidedBy?: string | undefined;
  note?: string | undefined;
  /** Oldest first; tickets filed before history was kept have none. */
  history?: TicketEvent[] | undefined;
  /** When the ops inbox was told about it; it is told once. */
  notifiedAt?: string | undefined;
  /** Until when one delivery of the request holds the right to email the ops inbox. */
  notifyLeaseUntil?: string | undefined;
}

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

export const ticketView = (ticket: Ticket): TicketView => ({
  ticketId: ticket.ticketId,
  type: ticket.type,
  reason: ticket.reason,
  firmId: ticket.firmId,
  householdId: ticket.householdId,
  invitationId: ticket.invitationId,
  client: ticket.client,
  requestedBy: ticket.requestedBy,
  status: ticket.status,
  createdAt: ticket.createdAt,
  ...(ticket.decidedAt === undefined ? {} : { decidedAt: ticket.decidedAt }),
  ...(ticket.decidedBy === undefined ? {} : { decidedBy: ticket.decidedBy }),
  ...(ticket.note === undefined ? {} : { note: ticket.note }),
  ...(ticket.history === undefined ? {} : { history: ticket.history }),
});
