import { notFound } from '../domain/errors.ts';
import { ticketView } from '../domain/ticket.ts';
import type { OpsCaller, Page, PageRequest, TicketStore } from '../domain/ports.ts';
import type { TicketReason, TicketStatus } from '../schemas/invitations.ts';
import type { TicketView } from '../schemas/views.ts';

/** The ticket store's methods named, and the clock. */
interface With<M extends keyof TicketStore> {
  tickets: Pick<TicketStore, M>;
  now: () => Date;
}
export type ReviewDeps = With<'list' | 'get'>;

export interface WorkListQuery extends PageRequest {
  /** Open unless named: the work list is what still waits. */
  status?: TicketStatus | undefined;
  firmId?: string | undefined;
  reason?: TicketReason | undefined;
  assignee?: 'me' | 'none' | undefined;
}

/** The ops work list across every firm (or one), oldest first, each ticket with its firm, age and assignee. */
export const listTickets = async (deps: With<'list'>, caller: OpsCaller, query: WorkListQuery): Promise<Page<TicketView>> => {
  const assignee = query.assignee === 'me' ? caller.sub : query.assignee === 'none' ? null : undefined;
  const page = await deps.tickets.list(
    { status: query.status ?? 'open', firmId: query.firmId, reason: query.reason, assignee },
    { limit: query.limit, cursor: query.cursor },
  );
  const now = deps.now();
  return { items: page.items.map((ticket) => ticketView(ticket, now)), nextCursor: page.nextCursor };
};

/** Any firm's ticket, with its history. */
export const getTicket = async (deps: With<'get'>, _caller: OpsCaller, ticketId: string): Promise<TicketView> => {
  const ticket = await deps.tickets.get(ticketId);
  if (!ticket) throw notFound('ticket');
  return ticketView(ticket, deps.now());
};
