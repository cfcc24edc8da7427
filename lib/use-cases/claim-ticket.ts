import { recorded, staffActor, type InRequest } from '../domain/audit.ts';
import { notFound } from '../domain/errors.ts';
import type { OpsCaller, TicketStore } from '../domain/ports.ts';
import { ticketView, type Ticket } from '../domain/ticket.ts';
import { claim, release } from '../domain/ticket-claim.ts';
import { claimRefusal, type TicketTransition } from '../domain/ticket-change.ts';
import type { TicketView } from '../schemas/views.ts';

export interface ClaimDeps extends InRequest {
  tickets: Pick<TicketStore, 'get' | 'apply'>;
  now: () => Date;
}

type Step = (ticket: Ticket, by: string, now: Date) => TicketTransition | undefined;

/**
 * Reads the ticket, decides, writes on condition that nobody else took or decided it meanwhile. A lost race is read
 * once more, so the answer names what happened (someone else holds it, or it was decided) rather than a bare 409.
 */
const working = async (deps: ClaimDeps, caller: OpsCaller, ticketId: string, step: Step): Promise<TicketView> => {
  for (let round = 1; ; round += 1) {
    const ticket = await deps.tickets.get(ticketId);
    if (!ticket) throw notFound('ticket');
    const transition = step(ticket, caller.sub, deps.now());
    if (!transition) return ticketView(ticket, deps.now());
    if ((await deps.tickets.apply(recorded(transition.change, staffActor(caller, 'ops'), deps.requestId))).ok) return ticketView(transition.next, deps.now());
    if (round >= 2) throw claimRefusal();
  }
};

/** Takes the ticket: one assignee at a time; a second claimer is 409. */
export const claimTicket = (deps: ClaimDeps, caller: OpsCaller, ticketId: string): Promise<TicketView> => working(deps, caller, ticketId, claim);

/** Gives the ticket back to the queue; only its assignee may. */
export const releaseTicket = (deps: ClaimDeps, caller: OpsCaller, ticketId: string): Promise<TicketView> =>
  working(deps, caller, ticketId, release);
