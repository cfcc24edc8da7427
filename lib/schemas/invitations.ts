// Requests about invitations and tickets, and the queue message. Response shapes live in views.ts.
import * as v from 'valibot';
import { AppError } from '../domain/errors.ts';
import { email, id, listQueryEntries, personName, text } from './common.ts';
import { accountNumber } from './households.ts';
import { check } from './validate.ts';

export const createInvitationBody = v.strictObject({
  firstName: personName,
  lastName: personName,
  email,
  expiresInDays: v.optional(
    v.pipe(v.number(), v.integer('must be a whole number of days'), v.minValue(1, 'must be at least 1'), v.maxValue(30, 'must be at most 30')),
  ),
});

export const invitationParams = v.object({ householdId: id, invitationId: id });

/** Any token shape is looked up, so a malformed link is answered exactly like an unknown or expired one. */
export const tokenParams = v.object({ token: v.pipe(v.string(), v.minLength(1), v.maxLength(512)) });

export const verifyBody = v.strictObject({ accountNumber });

export const invitationStatus = v.picklist(['sent', 'send_failed', 'accepted', 'revoked', 'expired']);
export const verificationMethod = v.picklist(['account_number', 'manual']);
export const verificationStatus = v.picklist(['not_started', 'pending_review', 'verified', 'rejected', 'locked']);
export const ticketStatus = v.picklist(['open', 'approved', 'rejected', 'cancelled']);
export const ticketReason = v.picklist(['no_account', 'verification_locked']);

export const ticketParams = v.object({ ticketId: id });
export const listTicketsQuery = v.strictObject({ ...listQueryEntries, status: v.optional(ticketStatus) });
export const approveBody = v.strictObject({ note: v.optional(text(1000)) });
export const rejectBody = v.strictObject({ reason: text(1000) });

export const isoTime = v.pipe(v.string(), v.isoTimestamp('must be an ISO 8601 timestamp'));
const bounded = (min: number, max: number) => v.pipe(v.string(), v.minLength(min), v.maxLength(max));

/** A firm name is shown, never matched on, so past this it is cut rather than refused. */
export const firmNameMaxLength = 200;
/** What Cognito allows for a custom attribute. */
const firmNameClaimMaxLength = 256;

/** Cuts a display-only text to `max` UTF-16 units without splitting a character's surrogate pair. */
export const cutForDisplay = (value: string, max: number): string => {
  if (value.length <= max) return value;
  const cut = value.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
};

/**
 * The queue message that asks the ops function for a ticket; versioned so old and new code can coexist.
 * The producer checks each message with this same schema before writing it (queueableTicketRequest).
 */
export const ticketRequestMessage = v.strictObject({
  version: v.literal(1),
  ticketId: id,
  reason: ticketReason,
  firmId: bounded(1, 64),
  // Up to Cognito's 256 is accepted and cut, so a message written before the cut was made still files its ticket.
  firmName: v.optional(v.pipe(bounded(0, firmNameClaimMaxLength), v.transform((name) => cutForDisplay(name, firmNameMaxLength)))),
  householdId: id,
  householdName: bounded(0, 200),
  invitationId: id,
  client: v.strictObject({ firstName: personName, lastName: personName, email }),
  requestedBy: bounded(1, 256),
  requestedAt: isoTime,
});

/**
 * The message as the ops function will read it, or a 400 naming what it would refuse: checked before the
 * outbox entry or the queue message is written, so a message the consumer refuses is never written at all.
 */
export const queueableTicketRequest = (request: TicketRequest): TicketRequest => {
  const checked = check(ticketRequestMessage, request);
  if (checked.success) return checked.data;
  throw new AppError(
    'validation_error',
    'The verification ticket request for this invitation would be refused by the ops queue',
    checked.details.map((detail) => ({ path: `ticketRequest.${detail.path}`, message: detail.message })),
  );
};

export type CreateInvitationInput = v.InferOutput<typeof createInvitationBody>;
export type InvitationStatus = v.InferOutput<typeof invitationStatus>;
export type VerificationMethod = v.InferOutput<typeof verificationMethod>;
export type VerificationStatus = v.InferOutput<typeof verificationStatus>;
export type TicketStatus = v.InferOutput<typeof ticketStatus>;
export type TicketReason = v.InferOutput<typeof ticketReason>;
export type TicketRequest = v.InferOutput<typeof ticketRequestMessage>;
