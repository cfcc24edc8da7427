// The shape every lifecycle rule returns: the state after the change, what must be written with it (one
// transaction), and what to do once that transaction has committed. Deciders are pure: they read nothing, write
// nothing and call no clock; a refusal is a thrown AppError. Use cases read, decide, persist, then perform.
import type { TicketRequest } from '../schemas/invitations.ts';
import type { Invitation } from './invitation.ts';
import type { Ticket } from './ticket.ts';

/** Work that happens after the commit. A lost effect is repaired by the outbox entry written with the change. */
export type Effect =
  /** Email the client their link (`token` is the raw link token; only its hash is ever stored). */
  | { kind: 'email_invitation'; invitation: Invitation; token: string; template: 'invitation' | 'verified' }
  /** Put the ticket request on the ops queue; its outbox entry covers a lost send. */
  | { kind: 'queue_ticket_request'; request: TicketRequest }
  /** Tell the ops inbox a ticket waits. */
  | { kind: 'email_ops'; ticket: Ticket }
  /** Tell the inviting advisor what ops decided. */
  | { kind: 'email_advisor_rejected'; ticket: Ticket; to: string; reason: string }
  /** Tell the inviting advisor their invitation's email bounced or was marked as spam (its deliveryNotice lease is held). */
  | { kind: 'email_advisor_notice'; invitation: Invitation; notice: 'bounced' | 'complained' }
  /** Delete a client's file no item refers to any more; the bucket's lifecycle rule removes it if this fails. */
  | { kind: 'delete_file'; key: string }
  /** A business figure for the metrics. */
  | { kind: 'metric'; name: string; value?: number; unit?: 'Count' | 'Seconds' };

export interface Transition<State, Change = State> {
  /** The state once the change commits. */
  next: State;
  /** What the adapter writes, as one transaction, conditioned on the state the decider was given. */
  change: Change;
  effects: Effect[];
}
