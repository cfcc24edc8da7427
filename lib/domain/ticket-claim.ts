// One ops user works a ticket at a time: claiming takes it, releasing gives it back, as pure deciders. While a ticket
// is claimed only its assignee decides it (ticket-decision.ts); an unclaimed ticket may be decided directly.
import { AppError, conflict } from './errors.ts';
import { ticketHappened, type Ticket, type TicketEvent } from './ticket.ts';
import { keyOfTicket, type TicketTransition } from './ticket-change.ts';

const claimedBySomeoneElse = () => conflict('Another member of the ops team has claimed this ticket');

/** Only an open ticket is worked; a decided or cancelled one has nothing left to claim or release. */
const assertOpen = (ticket: Ticket): void => {
  if (ticket.status !== 'open') throw conflict(`This ticket is already ${ticket.status}`);
};

/**
 * Takes the ticket for `by`, while it is open and nobody holds it. Its raiser may not: they can never decide it, so
 * holding it would only keep it from the ops user who can. Claiming a ticket one already holds changes nothing.
 */
export const claim = (ticket: Ticket, by: string, now: Date): TicketTransition | undefined => {
  if (ticket.requestedBy === by) throw new AppError('forbidden', 'You raised this ticket; another member of the ops team must work it');
  assertOpen(ticket);
  if (ticket.assignee === by) return undefined;
  if (ticket.assignee !== undefined) throw claimedBySomeoneElse();
  const at = now.toISOString();
  const event: TicketEvent = { action: 'claimed', by, at };
  return {
    next: { ...ticket, assignee: by, assignedAt: at, history: [...(ticket.history ?? []), event] },
    change: {
      key: keyOfTicket(ticket),
      write: { set: { assignee: by, assignedAt: at }, when: { status: 'open', assignee: null }, record: event },
      audit: [ticketHappened(ticket, 'ticket.claimed', at, null, by)],
    },
    effects: [],
  };
};

/** Gives the ticket back to the queue; only its assignee may. Releasing a ticket nobody holds changes nothing. */
export const release = (ticket: Ticket, by: string, now: Date): TicketTransition | undefined => {
  assertOpen(ticket);
  if (ticket.assignee === undefined) return undefined;
  if (ticket.assignee !== by) throw claimedBySomeoneElse();
  const at = now.toISOString();
  const event: TicketEvent = { action: 'released', by, at };
  const { assignee: _assignee, assignedAt: _at, ...rest } = ticket;
  return {
    next: { ...rest, history: [...(ticket.history ?? []), event] },
    change: {
      key: keyOfTicket(ticket),
      write: { set: {}, remove: ['assignee', 'assignedAt'], when: { status: 'open', assignee: by }, record: event },
      audit: [ticketHappened(ticket, 'ticket.released', at, by, null)],
    },
    effects: [],
  };
};

/** Who may decide: anyone on an unclaimed ticket, only the assignee on a claimed one. */
export const assertNotHeldByOther = (ticket: Ticket, by: string): void => {
  if (ticket.assignee !== undefined && ticket.assignee !== by) throw claimedBySomeoneElse();
};
