// What the console asks of the ops desk, and the desk built on the ticket use cases. The pages speak only to
// DeskView and DeskActions, so the rules stay in lib/use-cases and lib/domain: the console is a second face of the
// same calls, and connecting new use cases (claiming, evidence, the cross-firm list) changes this file alone.
import type { Caller, Page, PageRequest, TicketStore } from '../domain/ports.ts';
import type { TicketReason, TicketStatus } from '../schemas/invitations.ts';
import type { TicketView } from '../schemas/views.ts';
import type { DecideDeps } from '../use-cases/decide-ticket.ts';
import { approveVerification, rejectVerification } from '../use-cases/decide-ticket.ts';
import { getTicket, listTickets } from '../use-cases/review-tickets.ts';
import { describeEvidence, type Evidence } from './evidence.ts';
import type { ConsoleUser } from './session.ts';

/** A ticket as the console shows it: the API's view, and what the ops desk adds to it where it knows it. */
export type DeskTicket = TicketView & {
  firmName?: string | undefined;
  householdName?: string | undefined;
  assignee?: string | undefined;
  evidence?: Evidence | undefined;
  /** Oldest first, with who and when: raised, claimed, released, decided, cancelled. */
  history?: readonly { action: string; by: string; at: string }[] | undefined;
};

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

/** Until the decision use cases take evidence apart, it is kept with the note, so nothing ops enter is lost. */
const withEvidence = (note: string | undefined, evidence: Evidence | undefined): string | undefined => {
  if (!evidence) return note;
  const stated = `Evidence: ${describeEvidence(evidence)}.`;
  return note ? `${stated} ${note}` : stated;
};

/**
 * Today's ticket use cases are scoped to a firm: a console user signed in with an account that names one (the
 * token's custom:firmId, or the local sign-in's firm) works that firm's tickets, as an ops API caller does today.
 */
const callerOf = (user: ConsoleUser): Caller => ({ firmId: user.firmId ?? '', sub: user.sub, email: user.email, groups: user.groups });

/** The work list on the ticket use cases as they are: one firm's tickets by status. */
export const ticketDeskView = (deps: { tickets: TicketStore }): DeskView => ({
  filters: ['status'],
  claims: false,
  queue: (user, filters, page) => listTickets(deps, callerOf(user), { ...page, status: filters.status }),
  ticket: (user, ticketId) => getTicket(deps, callerOf(user), ticketId),
});

/** The forms on the decision use cases as they are: approve and reject, with no claiming yet. */
export const ticketDeskActions = (deps: DecideDeps): DeskActions => ({
  approve: (user, ticketId, { note, evidence }) => approveVerification(deps, callerOf(user), ticketId, withEvidence(note, evidence)),
  reject: (user, ticketId, { reason, evidence }) => rejectVerification(deps, callerOf(user), ticketId, withEvidence(reason, evidence) ?? reason),
});
