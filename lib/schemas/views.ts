// What the API answers. These shapes give the use cases their types and the OpenAPI document its
// response schemas; no handler loads them at run time.
import * as v from 'valibot';
import { id } from './common.ts';
import { householdStatus, memberRole } from './households.ts';
import { invitationStatus, isoTime, ticketReason, ticketStatus, verificationMethod, verificationStatus } from './invitations.ts';

export const listOf = <T extends v.GenericSchema>(item: T) => v.object({ items: v.array(item), nextCursor: v.nullable(v.string()) });

export const errorBody = v.object({
  error: v.object({
    code: v.string(),
    message: v.string(),
    details: v.array(v.looseObject({ path: v.optional(v.string()), message: v.string() })),
  }),
});

export const householdView = v.object({
  householdId: id,
  name: v.string(),
  status: householdStatus,
  members: v.array(
    v.object({
      memberId: id,
      firstName: v.string(),
      lastName: v.string(),
      email: v.optional(v.string()),
      role: memberRole,
    }),
  ),
  accounts: v.array(v.object({ accountId: id, last4: v.string(), custodian: v.optional(v.string()) })),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const householdResponse = v.object({ household: householdView });

export const invitationView = v.object({
  invitationId: id,
  householdId: id,
  firstName: v.string(),
  lastName: v.string(),
  email: v.string(),
  status: invitationStatus,
  verification: v.object({ method: verificationMethod, status: verificationStatus, ticketId: v.optional(id) }),
  expiresAt: isoTime,
  createdAt: isoTime,
  sentAt: v.optional(isoTime),
  acceptedAt: v.optional(isoTime),
});

export const invitationResponse = v.object({ invitation: invitationView });

/** What the client sees through their link: no ids, no email, nothing about the household. */
export const portalInvitationView = v.object({
  firstName: v.string(),
  status: invitationStatus,
  verification: v.object({ method: verificationMethod, status: verificationStatus }),
  expiresAt: isoTime,
});

export const portalInvitationResponse = v.object({ invitation: portalInvitationView });

export const portalAccessResponse = v.object({
  portalAccess: v.object({ status: v.literal('active'), householdId: id }),
});

export const ticketView = v.object({
  ticketId: id,
  type: v.literal('verification_bypass'),
  reason: ticketReason,
  firmId: v.string(),
  householdId: id,
  invitationId: id,
  client: v.object({ firstName: v.string(), lastName: v.string(), email: v.string() }),
  requestedBy: v.string(),
  status: ticketStatus,
  createdAt: isoTime,
  decidedAt: v.optional(isoTime),
  decidedBy: v.optional(v.string()),
  note: v.optional(v.string()),
});

export const ticketResponse = v.object({ ticket: ticketView });

export const decisionResponse = v.object({
  ticket: ticketView,
  /** Whether the email that tells the other party went out; the decision stands either way. */
  notification: v.picklist(['sent', 'send_failed', 'no_recipient']),
});

export type HouseholdView = v.InferOutput<typeof householdView>;
export type InvitationView = v.InferOutput<typeof invitationView>;
export type PortalInvitationView = v.InferOutput<typeof portalInvitationView>;
export type TicketView = v.InferOutput<typeof ticketView>;
