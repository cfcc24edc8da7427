// A household's audit trail as the API answers it (GET /households/{householdId}/events). Ids, states and who
// acted: never a name, an email or an account number.
import * as z from 'zod/mini';
import { auditActions, lifecycleTypes } from '../domain/audit.ts';
import { id, pure } from './common.ts';
import { isoTime } from './invitations.ts';

export const householdEventView = /* @__PURE__ */ pure(() =>
  z.object({
    eventId: id,
    at: isoTime,
    actor: z.object({
      /** A staff member's sub; for a client, the invitation whose link they used; `portal-onboarding` for the service. */
      sub: z.string(),
      role: z.enum(['advisor', 'ops', 'client', 'system']),
    }),
    action: z.enum(auditActions),
    /** The state before (null: it did not exist) and after: a status, or for a claim the assignee. */
    from: z.nullable(z.string()),
    to: z.nullable(z.string()),
    /** API Gateway's id of the request that made the change, or of the queue message or scheduled run. */
    requestId: z.string(),
    invitationId: z.optional(id),
    ticketId: z.optional(id),
    /** Of a document's events: the checklist item, the file's real size and type, why it was refused. */
    documentRequestId: z.optional(id),
    size: z.optional(z.number()),
    contentType: z.optional(z.string()),
    reason: z.optional(z.string()),
  }),
);

export type HouseholdEventView = z.output<typeof householdEventView>;

/** Every lifecycle event's `source` on the bus; a rule matches on it and on `detail-type` (the event's type). */
export const lifecycleEventSource = 'portal-onboarding';

/**
 * The detail of every lifecycle event on the bus (docs/events.md), version 1. Additive changes (a new optional
 * field, a new type) keep the version; anything else is version 2, published beside version 1 until consumers move.
 */
export const lifecycleEventDetail = /* @__PURE__ */ pure(() =>
  z.strictObject({
    version: z.literal(1),
    type: z.enum(lifecycleTypes),
    /** The audit event's id: the same event published twice has the same id; consumers dedupe on it. */
    id,
    occurredAt: isoTime,
    firmId: z.string(),
    householdId: id,
    invitationId: z.optional(id),
    ticketId: z.optional(id),
    actor: z.strictObject({ sub: z.string(), role: z.enum(['advisor', 'ops', 'client', 'system']) }),
    /** The state before (null: it did not exist) and after: a status (ticket.decided: approved or rejected). */
    from: z.nullable(z.string()),
    to: z.nullable(z.string()),
  }),
);

export type LifecycleEventDetail = z.output<typeof lifecycleEventDetail>;
