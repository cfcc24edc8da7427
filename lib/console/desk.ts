// What the console asks of the ops desk, and the desk built on the ticket use cases. The pages speak only to
// DeskView and DeskActions, so the rules stay in lib/use-cases and lib/domain: the console is a second face of the
// same calls the API makes.
import type { OpsCaller, Page, PageRequest } from '../domain/ports.ts';
import type { TicketReason, TicketStatus } from '../schemas/invitations.ts';
import type { TicketView } from '../schemas/views.ts';
import type { DecideDeps } from '../use-cases/decide-ticket.ts';
import { approveVerification, rejectVerification } from '../use-cases/decide-ticket.ts';
import { claimTicket, releaseTicket, type ClaimDeps } from '../use-cases/claim-ticket.ts';
import { getTicket, listTickets, type ReviewDeps } from '../use-cases/review-tickets.ts';
import type { Evidence } from './evidence.ts';
import type { ConsoleUser } from './session.ts';

/** A ticket as the console shows it: the API's view (firm, household, assignee, evidence, history, age). */
export type DeskTicket = TicketView;

export const queueFilterNames = ['status', 'firmId', 'reason', 'assignee'] as const;
export type QueueFilterName = (typeof queueFilterNames)[number];

export interface QueueFilters {
  status?: TicketStatus | undefined;
  firmId?: string | undefined;
  reason?: TicketReason | undefined;
  assignee?: 'me' | 'none' | undefined;
}

type Decision<T> = (user: ConsoleUser, ticketId: string, decision: T) => Promise<unknown>;

/** What the pages read: the work list and one ticket. */
export interface DeskView {
  /** The filters this desk can apply; the queue offers only these, so none is silently ignored. */
  filters: readonly QueueFilterName[];
  /** Whether tickets can be claimed (DeskActions.claim): without it the console shows no claim buttons. */
  claims: boolean;
  queue(user: ConsoleUser, filters: QueueFilters, page: PageRequest): Promise<Page<DeskTicket>>;
  ticket(user: ConsoleUser, ticketId: string): Promise<DeskTicket>;
}

/** What the forms do: claim and release where the desk has claiming (one assignee at a time), and decide. */
export interface DeskActions {
  claim?: ((user: ConsoleUser, ticketId: string) => Promise<unknown>) | undefined;
  release?: ((user: ConsoleUser, ticketId: string) => Promise<unknown>) | undefined;
  approve: Decision<{ note?: string | undefined; evidence: Evidence }>;
  reject: Decision<{ reason: string; evidence?: Evidence | undefined }>;
}

/** The console user as the use cases know an ops caller: their sub, email and groups; no firm. */
const callerOf = (user: ConsoleUser): OpsCaller => ({ sub: user.sub, email: user.email, groups: user.groups });

/** The work list across every firm, with every filter the API has, and claiming. */
export const ticketDeskView = (deps: ReviewDeps): DeskView => ({
  filters: queueFilterNames,
  claims: true,
  queue: (user, filters, page) => listTickets(deps, callerOf(user), { ...page, ...filters }),
  ticket: (user, ticketId) => getTicket(deps, callerOf(user), ticketId),
});

/** The forms on the same use cases as the API: claim, release, approve with evidence, reject. */
export const ticketDeskActions = (deps: DecideDeps & ClaimDeps): DeskActions => ({
  claim: (user, ticketId) => claimTicket(deps, callerOf(user), ticketId),
  release: (user, ticketId) => releaseTicket(deps, callerOf(user), ticketId),
  approve: (user, ticketId, decision) => approveVerification(deps, callerOf(user), ticketId, decision),
  reject: (user, ticketId, decision) => rejectVerification(deps, callerOf(user), ticketId, decision),
});
