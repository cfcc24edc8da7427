// What the console asks of the ops desk, and the desk built on the ticket use cases. The pages speak only to
// DeskView and DeskActions, so the rules stay in lib/use-cases and lib/domain: the console is a second face of the
// same calls the API makes.
import type { OpsCaller, Page, PageRequest } from '../domain/ports.ts';
import type { Evidence } from '../schemas/invitations.ts';
import type { TicketView } from '../schemas/views.ts';
import type { DecideDeps } from '../use-cases/decide-ticket.ts';
import { approveVerification, rejectVerification } from '../use-cases/decide-ticket.ts';
import { claimTicket, releaseTicket, type ClaimDeps } from '../use-cases/claim-ticket.ts';
import { getTicket, listTickets, type ReviewDeps, type WorkListQuery } from '../use-cases/review-tickets.ts';
import type { ConsoleUser } from './session.ts';

/** A ticket as the console shows it: the API's view (firm, household, age, assignee, evidence, history). */
export type DeskTicket = TicketView;

/** The work list's filters, as the API's query names them. */
export type QueueFilters = Omit<WorkListQuery, keyof PageRequest>;
export const queueFilterNames = ['status', 'firmId', 'reason', 'assignee'] as const satisfies readonly (keyof QueueFilters)[];

type Step = (user: ConsoleUser, ticketId: string) => Promise<unknown>;
type Decision<T> = (user: ConsoleUser, ticketId: string, decision: T) => Promise<unknown>;

/** What the pages read: the work list across every firm, and one ticket. */
export interface DeskView {
  queue(user: ConsoleUser, filters: QueueFilters, page: PageRequest): Promise<Page<DeskTicket>>;
  ticket(user: ConsoleUser, ticketId: string): Promise<DeskTicket>;
}

/** What the forms do: claim and release (one assignee at a time), and decide with evidence. */
export interface DeskActions {
  claim: Step;
  release: Step;
  approve: Decision<{ note?: string | undefined; evidence: Evidence }>;
  reject: Decision<{ reason: string; evidence?: Evidence | undefined }>;
}

/** The console user as the use cases know an ops caller: their sub, email and groups; no firm. */
const callerOf = (user: ConsoleUser): OpsCaller => ({ sub: user.sub, email: user.email, groups: user.groups });

export const ticketDeskView = (deps: ReviewDeps): DeskView => ({
  queue: (user, filters, page) => listTickets(deps, callerOf(user), { ...page, ...filters }),
  ticket: (user, ticketId) => getTicket(deps, callerOf(user), ticketId),
});

export const ticketDeskActions = (deps: DecideDeps & ClaimDeps): DeskActions => ({
  claim: (user, ticketId) => claimTicket(deps, callerOf(user), ticketId),
  release: (user, ticketId) => releaseTicket(deps, callerOf(user), ticketId),
  approve: (user, ticketId, decision) => approveVerification(deps, callerOf(user), ticketId, decision),
  reject: (user, ticketId, decision) => rejectVerification(deps, callerOf(user), ticketId, decision),
});
