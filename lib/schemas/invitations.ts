// zod/mini, imported as a namespace: functions instead of methods, so esbuild keeps only the checks used.
import * as z from 'zod/mini';
import { email, id, listQuery, personName, text } from './common.ts';
import { accountNumber } from './households.ts';

export const createInvitationBody = z.strictObject({
  firstName: personName,
  lastName: personName,
  email,
  expiresInDays: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(30))),
});

export const invitationParams = z.object({ householdId: id, invitationId: id });

/** Any token shape is looked up, so a malformed link is answered exactly like an unknown or expired one. */
export const tokenParams = z.object({ token: z.string().check(z.minLength(1), z.maxLength(512)) });

export const verifyBody = z.strictObject({ accountNumber });

export const invitationStatus = z.enum(['sent', 'send_failed', 'accepted', 'revoked', 'expired']);
export const verificationMethod = z.enum(['account_number', 'manual']);
export const verificationStatus = z.enum(['not_started', 'pending_review', 'verified', 'rejected', 'locked']);

export const invitationView = z.object({
  invitationId: id,
  householdId: id,
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  status: invitationStatus,
  verification: z.object({ method: verificationMethod, status: verificationStatus, ticketId: z.optional(id) }),
  expiresAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  sentAt: z.optional(z.iso.datetime()),
  acceptedAt: z.optional(z.iso.datetime()),
});

export const invitationResponse = z.object({ invitation: invitationView });

/** What the client sees through their link: no ids, no email, nothing about the household. */
export const portalInvitationView = z.object({
  firstName: z.string(),
  status: invitationStatus,
  verification: z.object({ method: verificationMethod, status: verificationStatus }),
  expiresAt: z.iso.datetime(),
});

export const portalInvitationResponse = z.object({ invitation: portalInvitationView });

export const portalAccessResponse = z.object({
  portalAccess: z.object({ status: z.literal('active'), householdId: id }),
});

export const ticketStatus = z.enum(['open', 'approved', 'rejected', 'cancelled']);
export const ticketReason = z.enum(['no_account', 'verification_locked']);

export const ticketView = z.object({
  ticketId: id,
  type: z.literal('verification_bypass'),
  reason: ticketReason,
  firmId: z.string(),
  householdId: id,
  invitationId: id,
  client: z.object({ firstName: z.string(), lastName: z.string(), email: z.string() }),
  requestedBy: z.string(),
  status: ticketStatus,
  createdAt: z.iso.datetime(),
  decidedAt: z.optional(z.iso.datetime()),
  decidedBy: z.optional(z.string()),
  note: z.optional(z.string()),
});

export const ticketResponse = z.object({ ticket: ticketView });
export const ticketParams = z.object({ ticketId: id });
export const listTicketsQuery = z.extend(listQuery, { status: z.optional(ticketStatus) });
export const approveBody = z.strictObject({ note: z.optional(text(1000)) });
export const rejectBody = z.strictObject({ reason: text(1000) });

export const decisionResponse = z.object({
  ticket: ticketView,
  /** Whether the email that tells the other party went out; the decision stands either way. */
  notification: z.enum(['sent', 'send_failed', 'no_recipient']),
});

/** The queue message that asks the ops function for a ticket; versioned so old and new code can coexist. */
export const ticketRequestMessage = z.strictObject({
  version: z.literal(1),
  ticketId: id,
  reason: ticketReason,
  firmId: z.string().check(z.minLength(1), z.maxLength(64)),
  firmName: z.optional(z.string().check(z.maxLength(200))),
  householdId: id,
  householdName: z.string().check(z.maxLength(200)),
  invitationId: id,
  client: z.strictObject({ firstName: personName, lastName: personName, email }),
  requestedBy: z.string().check(z.minLength(1), z.maxLength(256)),
  requestedAt: z.iso.datetime(),
});

export type CreateInvitationInput = z.output<typeof createInvitationBody>;
export type InvitationView = z.output<typeof invitationView>;
export type PortalInvitationView = z.output<typeof portalInvitationView>;
export type InvitationStatus = z.output<typeof invitationStatus>;
export type VerificationMethod = z.output<typeof verificationMethod>;
export type VerificationStatus = z.output<typeof verificationStatus>;
export type TicketView = z.output<typeof ticketView>;
export type TicketStatus = z.output<typeof ticketStatus>;
export type TicketReason = z.output<typeof ticketReason>;
export type TicketRequest = z.output<typeof ticketRequestMessage>;
