// The SES configuration-set events the email-events queue carries: SNS notifications (the default, not raw,
// delivery) whose Message is SES's event JSON. Only what the service acts on is checked; the rest of SES's fields
// (headers, recipients, diagnostics) pass unread, and never reach a log: they hold addresses.
import * as z from 'zod/mini';
import type { EmailEvent } from '../domain/invitation-delivery-events.ts';
import { taggedInvitation } from '../email/invitation-tags.ts';
import { id, pure } from './common.ts';
import { firmId } from './invitations.ts';
import { check } from './validate.ts';

/** SNS's envelope; SNS caps a message at 256 KB. */
export const snsNotification = /* @__PURE__ */ pure(() =>
  z.object({ Type: z.literal('Notification'), MessageId: z.string(), Message: z.string().check(z.maxLength(262_144)) }),
);

const mail = /* @__PURE__ */ pure(() =>
  z.object({
    messageId: z.string().check(z.minLength(1), z.maxLength(256)),
    tags: z.optional(z.record(z.string(), z.array(z.string()))),
  }),
);

/** The destination publishes these three event types and no other; anything else is a misconfiguration to look at. */
export const sesEvent = /* @__PURE__ */ pure(() =>
  z.discriminatedUnion('eventType', [
    z.object({ eventType: z.literal('Bounce'), mail, bounce: z.object({ bounceType: z.enum(['Permanent', 'Transient', 'Undetermined']) }) }),
    z.object({ eventType: z.literal('Complaint'), mail, complaint: z.object({}) }),
    z.object({ eventType: z.literal('Delivery'), mail, delivery: z.object({}) }),
  ]),
);

/** The invitation named by the tags, as the sending adapter wrote them (lib/email/invitation-tags.ts). */
const invitationKey = /* @__PURE__ */ pure(() => z.object({ firmId, householdId: id, invitationId: id }));

export type ParsedEmailEvent = { success: true; event: EmailEvent } | { success: false; reason: string };

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const refused = (reason: string): ParsedEmailEvent => ({ success: false, reason });

/** One queue message as an EmailEvent, or why it is not one (the reason names fields, never their values). */
export const parseEmailEvent = (body: string): ParsedEmailEvent => {
  const envelope = check(snsNotification, parseJson(body));
  if (!envelope.success) return refused(`not an SNS notification (${envelope.details.map((d) => d.path).join(', ')})`);
  const ses = check(sesEvent, parseJson(envelope.data.Message));
  if (!ses.success) return refused(`not an SES bounce, complaint or delivery event (${ses.details.map((d) => d.path).join(', ')})`);
  const tagged = taggedInvitation(ses.data.mail.tags ?? {});
  const key = tagged === undefined ? undefined : check(invitationKey, tagged);
  if (key !== undefined && !key.success) return refused(`invitation tags not as sent (${key.details.map((d) => d.path).join(', ')})`);
  const common = { messageId: ses.data.mail.messageId, invitation: key?.data };
  switch (ses.data.eventType) {
    case 'Bounce':
      return { success: true, event: { ...common, kind: 'bounce', permanent: ses.data.bounce.bounceType === 'Permanent' } };
    case 'Complaint':
      return { success: true, event: { ...common, kind: 'complaint' } };
    case 'Delivery':
      return { success: true, event: { ...common, kind: 'delivery' } };
  }
};
