import { notFound } from '../domain/errors.ts';
import { ticketView } from '../domain/ticket.ts';
import type { Caller, Page, PageRequest, TicketStore } from '../domain/ports.ts';
import type { TicketStatus } from '../schemas/invitations.ts';
import type { TicketView } from '../schemas/views.ts';

/** The ops work list, oldest first, optionally one status. */
export const listTickets = async (
  deps: { tickets: TicketStore },
  caller: Caller,
  query: PageRequest & { status?: TicketStatus | undefined },
): Promise<Page<TicketView>> => {
  const page = await deps.tickets.list(caller.firmId, query.status, query);
  return { items: page.items.map(ticketView), nextCursor: page.nextCursor };
};

export const getTicket = async (deps: { tickets: TicketStore }, caller: Caller, ticketId: string): Promise<TicketView> => {
  const ticket = await deps.tickets.get(caller.firmId, ticketId);
  if (!ticket) throw notFound('ticket');
  return ticketView(ticket);
};
