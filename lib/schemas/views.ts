// What the API answers. These shapes give the use cases their types and the OpenAPI document its
// response schemas; no handler loads them at run time.
import * as z from 'zod/mini';
import { id } from './common.ts';
import { householdStatus, memberRole } from './households.ts';
import { evidenceMethod, invitationStatus, isoTime, ticketReason, ticketStatus, verificationMethod, verificationStatus } from './invitations.ts';

export const listOf = <T extends z.ZodMiniType>(item: T) => z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.looseObject({ path: z.optional(z.string()), message: z.string() })),
  }),
});

export const householdView = z.object({
  householdId: id,
  name: z.string(),
  status: householdStatus,
  members: z.array(
    z.object({
      memberId: id,
      firstName: z.string(),
      lastName: z.string(),
      email: z.optional(z.string()),
      role: memberRole,
    }),
  ),
  accounts: z.array(z.object({ accountId: id, last4: z.string(), custodian: z.optional(z.string()) })),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const householdResponse = z.object({ household: householdView });

export const invitationView = z.object({
  invitationId: id,
  householdId: id,
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  status: invitationStatus,
  verification: z.object({ method: verificationMethod, status: verificationStatus, ticketId: z.optional(id) }),
  expiresAt: isoTime,
  createdAt: isoTime,
  sentAt: z.optional(isoTime),
  acceptedAt: z.optional(isoTime),
  /** When SES reported the email bounced for good (status bounced) or the client marked it as spam (complained). */
  bouncedAt: z.optional(isoTime),
  complainedAt: z.optional(isoTime),
});

export const invitationResponse = z.object({ invitation: invitationView });

/**
 * One item of POST /invitations/batch, in the order sent: created (the invitation as the single route returns it),
 * or what the single route would have refused it with, under the item's own status.
 */
export const batchItemResult = z.union([
  z.object({ index: z.number(), status: z.literal(201), invitation: invitationView }),
  z.object({ index: z.number(), status: z.number(), error: errorBody.shape.error }),
]);

export const batchInvitationsResponse = z.object({ results: z.array(batchItemResult) });

/** What the client sees through their link: no ids, no email, nothing about the household. */
export const portalInvitationView = z.object({
  firstName: z.string(),
  status: invitationStatus,
  verification: z.object({ method: verificationMethod, status: verificationStatus }),
  expiresAt: isoTime,
});

export const portalInvitationResponse = z.object({ invitation: portalInvitationView });

export const portalAccessResponse = z.object({
  portalAccess: z.object({ status: z.literal('active'), householdId: id }),
});

export const ticketView = z.object({
  ticketId: id,
  type: z.literal('verification_bypass'),
  reason: ticketReason,
  firmId: z.string(),
  /** As the inviting advisor's token named it; tickets of advisors whose token named none have none. */
  firmName: z.optional(z.string()),
  householdId: id,
  householdName: z.string(),
  invitationId: id,
  client: z.object({ firstName: z.string(), lastName: z.string(), email: z.string() }),
  requestedBy: z.string(),
  status: ticketStatus,
  createdAt: isoTime,
  /** Seconds since the ticket was raised, when it was read. */
  ageSeconds: z.number(),
  /** The ops user (sub) who claimed it; only they may decide it while it is claimed. */
  assignee: z.optional(z.string()),
  assignedAt: z.optional(isoTime),
  decidedAt: z.optional(isoTime),
  decidedBy: z.optional(z.string()),
  note: z.optional(z.string()),
  evidence: z.optional(z.object({ method: evidenceMethod, reference: z.optional(z.string()) })),
  /** Oldest first: raised, claimed and released, then decided or cancelled; tickets filed before it was kept have none. */
  history: z.optional(
    z.array(z.object({ action: z.enum(['raised', 'claimed', 'released', 'decided', 'cancelled']), by: z.string(), at: isoTime })),
  ),
});

export const ticketResponse = z.object({ ticket: ticketView });

export const decisionResponse = z.object({
  ticket: ticketView,
  /** Whether the email that tells the other party went out; the decision stands either way. */
  notification: z.enum(['sent', 'send_failed', 'no_recipient']),
});

export type HouseholdView = z.output<typeof householdView>;
export type InvitationView = z.output<typeof invitationView>;
export type BatchItemResult = z.output<typeof batchItemResult>;
export type PortalInvitationView = z.output<typeof portalInvitationView>;
export type TicketView = z.output<typeof ticketView>;
