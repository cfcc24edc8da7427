// What the console's forms and its queue's query may hold, checked like every request (lib/schemas/validate.ts).
// A browser sends an empty field as "", so an optional field accepts "" and the console reads it as absent.
import * as z from 'zod/mini';
import { pure, text } from '../schemas/common.ts';
import { evidenceMethod, firmId, ticketReason, ticketStatus } from '../schemas/invitations.ts';

// @__NO_SIDE_EFFECTS__
const blankOr = <T extends z.ZodMiniType>(schema: T) => z.optional(z.union([z.literal(''), schema]));

/** "" (a field left empty, or a select's "any") is absent. */
export const present = <T>(value: T | '' | undefined): T | undefined => (value === '' ? undefined : value);

const csrf = z.string().check(z.maxLength(128));
const back = z.string().check(z.maxLength(600));

/** The queue's filters, as its GET form writes them (the work list's own, lib/schemas/invitations.ts), and its page. */
export const listQueueQuery = /* @__PURE__ */ pure(() =>
  z.strictObject({
    status: blankOr(ticketStatus),
    firmId: blankOr(firmId),
    reason: blankOr(ticketReason),
    assignee: blankOr(z.enum(['me', 'none'])),
    cursor: blankOr(z.string().check(z.maxLength(2048))),
  }),
);

/** Claim and release: the token, and the console page to return to. */
export const claimForm = /* @__PURE__ */ pure(() => z.strictObject({ csrf, back: z.optional(back) }));

export const approveForm = /* @__PURE__ */ pure(() =>
  z.strictObject({
    csrf,
    method: evidenceMethod,
    reference: blankOr(text(200)),
    note: blankOr(text(1000)),
  }),
);

export const rejectForm = /* @__PURE__ */ pure(() =>
  z.strictObject({
    csrf,
    reason: text(1000),
    method: blankOr(evidenceMethod),
    reference: blankOr(text(200)),
  }),
);

/** Sign-out carries only the token; a hosted sign-in's start carries the page to return to. */
export const signOutForm = /* @__PURE__ */ pure(() => z.strictObject({ csrf }));
export const signInForm = /* @__PURE__ */ pure(() => z.strictObject({ next: z.optional(back) }));
