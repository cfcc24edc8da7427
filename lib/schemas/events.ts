// A household's audit trail as the API answers it (GET /households/{householdId}/events). Ids, states and who
// acted: never a name, an email or an account number.
import * as z from 'zod/mini';
import { auditActions } from '../domain/audit.ts';
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
  }),
);

export type HouseholdEventView = z.output<typeof householdEventView>;
