// Requests about invitations and tickets, and the queue message. Response shapes live in views.ts.
import * as z from 'zod/mini';
import { AppError } from '../domain/errors.ts';
import { email, id, listQueryEntries, personName, pure, stop, stopWith, text } from './common.ts';
import { accountNumber } from './households.ts';
import { check } from './validate.ts';

export const createInvitationBody = /* @__PURE__ */ pure(() =>
  z.strictObject({
    firstName: personName,
    lastName: personName,
    email,
    expiresInDays: z.optional(
      z.number().check(
        z.refine(Number.isInteger, stopWith('must be a whole number of days')),
        z.gte(1, stopWith('must be at least 1')),
        // z.int() would answer 1e9 as "not a whole number"; the OpenAPI document says integer (lib/openapi/generate.ts).
        z.lte(30, stopWith('must be at most 30')),
      ),
    ),
  }),
);

/** The most invitations one batch may carry (SPEC 5); docs/batch-invitations.md gives the limits and why. */
export const maxBatchItems = 100;

/** One invitation of a batch: the single route's body and the household it is for. */
export const batchInvitationItem = /* @__PURE__ */ pure(() => z.strictObject({ householdId: id, ...createInvitationBody.shape }));

/** A batch's envelope around `item`: an object holding 1 to 100 of them. */
export const batchOf = <T extends z.ZodMiniType>(item: T) =>
  z.strictObject({
    items: z.array(item).check(
      z.minLength(1, stopWith(`must hold 1 to ${maxBatchItems} items`)),
      z.maxLength(maxBatchItems, stopWith(`must hold 1 to ${maxBatchItems} items`)),
    ),
  });

/**
 * A batch as it must arrive for anything to be done; each item is then checked on its own (batchInvitationItem),
 * so an invalid item is refused in its own result and the others still go out.
 */
export const sendInvitationsBatchBody = /* @__PURE__ */ pure(() => batchOf(z.unknown()));

export const invitationParams = /* @__PURE__ */ pure(() => z.object({ householdId: id, invitationId: id }));

/** Any token shape is looked up, so a malformed link is answered exactly like an unknown or expired one. */
export const tokenParams = /* @__PURE__ */ pure(() => z.object({ token: z.string().check(z.minLength(1, stop), z.maxLength(512, stop)) }));

export const verifyBody = /* @__PURE__ */ pure(() => z.strictObject({ accountNumber }));

export const invitationStatus = /* @__PURE__ */ pure(() => z.enum(['sent', 'send_failed', 'accepted', 'revoked', 'expired', 'bounced', 'complained']));
export const verificationMethod = /* @__PURE__ */ pure(() => z.enum(['account_number', 'manual']));
export const verificationStatus = /* @__PURE__ */ pure(() => z.enum(['not_started', 'pending_review', 'verified', 'rejected', 'locked']));
export const ticketStatus = /* @__PURE__ */ pure(() => z.enum(['open', 'approved', 'rejected', 'cancelled']));
export const ticketReason = /* @__PURE__ */ pure(() => z.enum(['no_account', 'verification_locked']));

export const ticketParams = /* @__PURE__ */ pure(() => z.object({ ticketId: id }));
/** A firm id as tokens carry it (lib/http/auth.ts checks the claim with the same pattern). */
export const firmId = /* @__PURE__ */ pure(() =>
  z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, stopWith('must be a firm id (letters, digits, _ . -; at most 64)'))),
);

/** The ops work list: open tickets unless a status is named; every firm's unless one is. */
export const listTicketsQuery = /* @__PURE__ */ pure(() =>
  z.strictObject({
    ...listQueryEntries,
    status: z.optional(ticketStatus),
    firmId: z.optional(firmId),
    reason: z.optional(ticketReason),
    assignee: z.optional(z.enum(['me', 'none'])),
  }),
);

/** How ops made sure of the client's identity, stored with the decision and shown on the ticket. */
export const evidenceMethod = /* @__PURE__ */ pure(() => z.enum(['phone', 'video', 'id_document', 'in_person', 'other']));
export const evidence = /* @__PURE__ */ pure(() => z.strictObject({ method: evidenceMethod, reference: z.optional(text(200)) }));

/** Approval needs evidence: ops vouch for a client only by saying how they checked. */
export const approveBody = /* @__PURE__ */ pure(() => z.strictObject({ note: z.optional(text(1000)), evidence }));
export const rejectBody = /* @__PURE__ */ pure(() => z.strictObject({ reason: text(1000), evidence: z.optional(evidence) }));

// The timestamps this service has always accepted: date, T or space, time, optional fraction, Z or an offset.
const isoTimestamp = /^\d{4}-(?:0[1-9]|1[0-2])-(?:[12]\d|0[1-9]|3[01])[T ](?:0\d|1\d|2[0-3])(?::[0-5]\d){2}(?:\.\d{1,9})?(?:Z| ?[+-](?:0\d|1\d|2[0-3])(?::?[0-5]\d)?)$/u;

export const isoTime = /* @__PURE__ */ pure(() => z.string().check(z.regex(isoTimestamp, stopWith('must be an ISO 8601 timestamp'))));
const bounded = (min: number, max: number) => z.string().check(z.minLength(min, stop), z.maxLength(max, stop));

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
export const ticketRequestMessage = /* @__PURE__ */ pure(() =>
  z.strictObject({
    version: z.literal(1),
    ticketId: id,
    reason: ticketReason,
    firmId: bounded(1, 64),
    // Up to Cognito's 256 is accepted and cut, so a message written before the cut was made still files its ticket.
    firmName: z.optional(bounded(0, firmNameClaimMaxLength).check(z.overwrite((name) => cutForDisplay(name, firmNameMaxLength)))),
    householdId: id,
    householdName: bounded(0, 200),
    invitationId: id,
    client: z.strictObject({ firstName: personName, lastName: personName, email }),
    requestedBy: bounded(1, 256),
    requestedAt: isoTime,
  }),
);

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

export type CreateInvitationInput = z.output<typeof createInvitationBody>;
export type BatchInvitationItem = z.output<typeof batchInvitationItem>;
export type InvitationStatus = z.output<typeof invitationStatus>;
export type VerificationMethod = z.output<typeof verificationMethod>;
export type VerificationStatus = z.output<typeof verificationStatus>;
export type TicketStatus = z.output<typeof ticketStatus>;
export type TicketReason = z.output<typeof ticketReason>;
export type Evidence = z.output<typeof evidence>;
export type EvidenceMethod = z.output<typeof evidenceMethod>;
export type TicketRequest = z.output<typeof ticketRequestMessage>;
