// The audit trail: every change to a household, invitation or ticket appends an event to the household's partition in
// the same transaction. A decider says what happened (the action and the state before and after); the use case says
// who did it and in which request (`recorded`), since only it knows the caller. Events are never changed or deleted.
import type { HouseholdEventView, LifecycleEventDetail } from '../schemas/events.ts';
import { newId } from './ids.ts';

export type ActorRole = 'advisor' | 'ops' | 'client' | 'system';

/** Who made a change: a staff member's sub, the invitation whose link the client used, or the service itself. */
export interface Actor {
  sub: string;
  role: ActorRole;
}

/** Who made a change and in which request: API Gateway's request id, or the queue message or run behind it. */
export interface Origin {
  actor: Actor;
  requestId: string;
}

export const auditActions = [
  'household.created',
  'household.converted',
  'household.account_linked',
  'household.deleted',
  'household.purged',
  'invitation.sent',
  'invitation.resent',
  'invitation.send_failed',
  'invitation.revoked',
  'invitation.expired',
  'invitation.accepted',
  'invitation.bounced',
  'invitation.complained',
  'verification.verified',
  'verification.locked',
  'verification.rejected',
  'ticket.raised',
  'ticket.claimed',
  'ticket.released',
  'ticket.decided',
  'ticket.cancelled',
  'document.requested',
  'document.cancelled',
  'document.re_requested',
  'document.uploaded',
  'document.rejected',
  'document.received',
  'document.infected',
  'document.downloaded',
] as const;

export type AuditAction = (typeof auditActions)[number];

/** The actions integrations hear about (lib/schemas/events.ts): the milestones of a client's onboarding. */
export const lifecycleTypes = [
  'household.created',
  'household.converted',
  'household.deleted',
  'invitation.sent',
  'invitation.accepted',
  'invitation.bounced',
  'invitation.expired',
  'verification.verified',
  'verification.locked',
  'ticket.raised',
  'ticket.decided',
] as const satisfies readonly AuditAction[];

export type LifecycleType = (typeof lifecycleTypes)[number];

export const isLifecycle = (action: AuditAction): action is LifecycleType => (lifecycleTypes as readonly string[]).includes(action);

/**
 * What a decider says happened: the action, and the state of what it changed before (null: it did not exist) and
 * after: a household's or invitation's status, a verification's status, a ticket's status or, for a claim, its
 * assignee. Ids and states only: nothing a household's or invitation's own view would not show.
 */
export interface Happening {
  action: AuditAction;
  at: string;
  from: string | null;
  to: string | null;
  invitationId?: string | undefined;
  ticketId?: string | undefined;
  /** A checklist item's id, and what the server found of its file: never the client-chosen file name. */
  documentRequestId?: string | undefined;
  size?: number | undefined;
  contentType?: string | undefined;
  /** Why an upload was refused or what its scan found: the service's own words. */
  reason?: string | undefined;
}

export interface AuditEvent extends Happening {
  /** UUIDv7: with `at`, the event's place in its household's trail. */
  eventId: string;
  firmId: string;
  householdId: string;
  actor: Actor;
  requestId: string;
}

/** Who acts when no person does: the ops function, the sweeper, SES's events. */
export const systemActor: Actor = { sub: 'portal-onboarding', role: 'system' };

/** A staff member, by the sub their token names. */
export const staffActor = (caller: { sub: string }, role: 'advisor' | 'ops'): Actor => ({ sub: caller.sub, role });

/** The client holding an invitation's link: they have no account, so the invitation names them. */
export const clientActor = (invitationId: string): Actor => ({ sub: invitationId, role: 'client' });

/**
 * What a use case that changes something is given with its dependencies, per request: API Gateway's request id, or
 * the id of the queue message or the scheduled run it works for. Every event it writes carries it.
 */
export interface InRequest {
  requestId: string;
}

/** The decider's happenings as events of `household`, made by `origin`: each gets its id, in order. */
export const eventsOf = (household: { firmId: string; householdId: string }, happened: readonly Happening[], origin: Origin): AuditEvent[] =>
  happened.map((happening) => ({
    ...happening,
    eventId: newId(),
    firmId: household.firmId,
    householdId: household.householdId,
    actor: { ...origin.actor },
    requestId: origin.requestId,
  }));

/** A change a decider made, and the events it is written with once the use case has said who made it. */
export interface Audited {
  key: { firmId: string; householdId: string };
  /** What happened, as the decider saw it. */
  audit?: Happening[] | undefined;
  /** The audit events written with the change, in its transaction (adapters write these, and only these). */
  events?: AuditEvent[] | undefined;
}

/** The change with its events: what it says happened, made by `actor` in request `requestId`. */
export const recorded = <C extends Audited>(change: C, actor: Actor, requestId: string): C & { events: AuditEvent[] } => ({
  ...change,
  events: eventsOf(change.key, change.audit ?? [], { actor, requestId }),
});

/** What an advisor sees of an event: its household is the one they asked for. */
export const auditView = (event: AuditEvent): HouseholdEventView => ({
  eventId: event.eventId,
  at: event.at,
  actor: { sub: event.actor.sub, role: event.actor.role },
  action: event.action,
  from: event.from,
  to: event.to,
  requestId: event.requestId,
  ...(event.invitationId === undefined ? {} : { invitationId: event.invitationId }),
  ...(event.ticketId === undefined ? {} : { ticketId: event.ticketId }),
  ...(event.documentRequestId === undefined ? {} : { documentRequestId: event.documentRequestId }),
  ...(event.size === undefined ? {} : { size: event.size }),
  ...(event.contentType === undefined ? {} : { contentType: event.contentType }),
  ...(event.reason === undefined ? {} : { reason: event.reason }),
});

/** The event integrations hear of, for a lifecycle action (lib/schemas/events.ts); none for the others. */
export const lifecycleDetail = (event: AuditEvent): LifecycleEventDetail | undefined =>
  isLifecycle(event.action)
    ? {
        version: 1,
        type: event.action,
        id: event.eventId,
        occurredAt: event.at,
        firmId: event.firmId,
        householdId: event.householdId,
        ...(event.invitationId === undefined ? {} : { invitationId: event.invitationId }),
        ...(event.ticketId === undefined ? {} : { ticketId: event.ticketId }),
        actor: { sub: event.actor.sub, role: event.actor.role },
        from: event.from,
        to: event.to,
      }
    : undefined;
