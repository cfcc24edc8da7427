// What the console asks of the ops desk, and the desk built on the ticket use cases. The pages speak only to
// OpsDesk, so the rules stay in lib/use-cases and lib/domain: the console is a second face of the same calls.
import type { Caller, Page, PageRequest } from '../domain/ports.ts';
import type { TicketReason, TicketStatus } from '../schemas/invitations.ts';
import type { TicketView } from '../schemas/views.ts';
import type { DecideDeps } from '../use-cases/decide-ticket.ts';
import { approveVerification, rejectVerification } from '../use-cases/decide-ticket.ts';
import { getTicket, listTickets } from '../use-cases/review-tickets.ts';
import type { ConsoleUser } from './session.ts';

export const evidenceMethods = ['phone', 'video', 'id_document', 'in_person', 'other'] as const;
export type EvidenceMethod = (typeof evidenceMethods)[number];

export interface Evidence {
  method: EvidenceMethod;
  reference?: string | undefined;
}

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

export interface OpsDesk {
  /** The filters this desk can apply; the queue offers only these, so none is silently ignored. */
  filters: readonly QueueFilterName[];
  queue(user: ConsoleUser, filters: QueueFilters, page: PageRequest): Promise<Page<DeskTicket>>;
  ticket(user: ConsoleUser, ticketId: string): Promise<DeskTicket>;
  /** Claiming, where the desk has it: one assignee at a time; without it the console shows no claim buttons. */
  claim?: ((user: ConsoleUser, ticketId: string) => Promise<unknown>) | undefined;
  release?: ((user: ConsoleUser, ticketId: string) => Promise<unknown>) | undefined;
  approve: Decision<{ note?: string | undefined; evidence: Evidence }>;
  reject: Decision<{ reason: string; evidence?: Evidence | undefined }>;
}

const methodNames: Record<EvidenceMethod, string> = {
  phone: 'phone call',
  video: 'video call',
  id_document: 'ID document',
  in_person: 'in person',
  other: 'other',
};

export const describeEvidence = (evidence: Evidence): string =>
  evidence.reference ? `${methodNames[evidence.method]} (${evidence.reference})` : methodNames[evidence.method];

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

/** The desk on the ticket use cases as they are: one firm's work list by status, approve and reject. */
export const ticketDesk = (deps: DecideDeps): OpsDesk => ({
  filters: ['status'],
  queue: (user, filters, page) => listTickets(deps, callerOf(user), { ...page, status: filters.status }),
  ticket: (user, ticketId) => getTicket(deps, callerOf(user), ticketId),
  approve: (user, ticketId, { note, evidence }) => approveVerification(deps, callerOf(user), ticketId, withEvidence(note, evidence)),
  reject: (user, ticketId, { reason, evidence }) => rejectVerification(deps, callerOf(user), ticketId, withEvidence(reason, evidence) ?? reason),
});
