import type { OutgoingEmail } from '../domain/ports.ts';
import type { Invitation } from '../domain/invitation.ts';
import type { PortalAccess } from '../domain/portal-access.ts';
import { keyOf } from '../domain/invitation-change.ts';
import type { Ticket } from '../domain/ticket.ts';
import { consolePaths } from '../console/paths.ts';
import { portalPaths } from '../portal/paths.ts';
import { layout, oneLine } from './escape.ts';

const firmLabel = (firm: { firmId: string; firmName?: string | undefined }) => firm.firmName ?? firm.firmId;
const expiryDate = (iso: string) => new Date(iso).toUTCString().replace(/ \d\d:\d\d:\d\d GMT$/, '');

export const inviteLink = (portalUrl: string, token: string) => `${portalUrl}/invite/${token}`;

/** A returning client's link to sign in to the portal (lib/domain/sign-in-link.ts). */
export const signInLink = (portalUrl: string, token: string) => `${portalUrl}${portalPaths.signInLink(token)}`;

/** The ticket's page in the ops console, which the portal's own domain serves beside the invite pages. */
export const consoleTicketLink = (portalUrl: string, ticketId: string) => `${portalUrl}${consolePaths.ticket(ticketId)}`;

export const invitationEmail = (invitation: Invitation, link: string): OutgoingEmail => {
  const firm = firmLabel(invitation);
  const next =
    invitation.verification.method === 'account_number'
      ? 'To confirm it is you, we will ask for one of your account numbers.'
      : 'Our operations team will confirm your identity; the link shows you when that is done.';
  return {
    to: invitation.email,
    about: keyOf(invitation),
    subject: oneLine(`Your client portal invitation from ${firm}`),
    ...layout(
      [
        `Hello ${invitation.firstName},`,
        `${firm} has invited you to its client portal, where you can share the documents your advisor needs to get you started.`,
        next,
        `The link works until ${expiryDate(invitation.expiresAt)}.`,
      ],
      { url: link, label: 'Open your invitation' },
    ),
  };
};

export const verifiedEmail = (invitation: Invitation, link: string): OutgoingEmail => ({
  to: invitation.email,
  about: keyOf(invitation),
  subject: oneLine(`You're verified: your ${firmLabel(invitation)} client portal is ready`),
  ...layout(
    [
      `Hello ${invitation.firstName},`,
      'Our operations team has confirmed your identity. Use this new link to finish setting up your client portal access; earlier links no longer work.',
      `The link works until ${expiryDate(invitation.expiresAt)}.`,
    ],
    { url: link, label: 'Finish setting up' },
  ),
});

/** Leads ops to the ticket's console page, where they claim and decide it; the API path is there for scripts. */
export const opsTicketEmail = (ticket: Ticket, to: string, portalUrl: string): OutgoingEmail => {
  const why = ticket.reason === 'no_account' ? 'the household has no accounts yet (prospect)' : 'the client entered a wrong account number too many times';
  return {
    to,
    subject: oneLine(`Verification needed: ticket ${ticket.ticketId}`),
    ...layout(
      [
        `A client needs their identity verified by hand because ${why}. Claim the ticket in the ops console, verify the client, then approve or reject it with the evidence.`,
        `Client: ${ticket.client.firstName} ${ticket.client.lastName} <${ticket.client.email}>`,
        `Household: ${ticket.householdName} (${ticket.householdId})`,
        `Firm: ${firmLabel(ticket)} (${ticket.firmId})`,
        `Ticket: ${ticket.ticketId} (API: /ops/tickets/${ticket.ticketId})`,
      ],
      { url: consoleTicketLink(portalUrl, ticket.ticketId), label: 'Open the ticket in the ops console' },
    ),
  };
};

export const rejectedEmail = (ticket: Ticket, to: string, reason: string): OutgoingEmail => ({
  to,
  subject: oneLine(`Verification rejected for ${ticket.client.firstName} ${ticket.client.lastName}`),
  ...layout([
    `Our operations team could not verify ${ticket.client.firstName} ${ticket.client.lastName} (${ticket.client.email}) for household ${ticket.householdName}.`,
    `Reason: ${reason}`,
    `Ticket: ${ticket.ticketId}`,
  ]),
});

/**
 * The one reminder before a link expires. It carries no link: only the link's hash is stored, so it can only point
 * the client to the email that has it, and to their advisor for a new one (docs/decisions.md).
 */
export const reminderEmail = (invitation: Invitation): OutgoingEmail => {
  const firm = firmLabel(invitation);
  const sentOn = invitation.sentAt === undefined ? '' : ` on ${expiryDate(invitation.sentAt)}`;
  const advisor = invitation.invitedByEmail === undefined ? 'your advisor' : `your advisor (${invitation.invitedByEmail})`;
  const left =
    invitation.verification.status === 'verified'
      ? 'You are verified; one step is left: accept the invitation at that link.'
      : 'At that link you confirm who you are, then accept the invitation.';
  return {
    to: invitation.email,
    // Tagged as the invitation emails are, so a reminder that bounces ends the invitation as theirs would.
    about: keyOf(invitation),
    subject: oneLine(`Reminder: your ${firm} client portal invitation expires on ${expiryDate(invitation.expiresAt)}`),
    ...layout([
      `Hello ${invitation.firstName},`,
      `${firm} invited you to its client portal. The link in the email we sent you${sentOn} works until ${expiryDate(invitation.expiresAt)}.`,
      left,
      `For your security this reminder has no link of its own. If you can't find that email, ask ${advisor} to send you a new invitation.`,
    ]),
  };
};

const noticeText = {
  accepted: { subject: 'Invitation accepted', what: (client: string) => `${client} accepted your client portal invitation; their portal access is active.` },
  locked: {
    subject: 'Verification locked',
    what: (client: string) =>
      `${client} entered a wrong account number five times, so self-service verification is locked. Our operations team has a ticket to verify them by hand; the client gets a new link once that is done.`,
  },
  send_failed: {
    subject: 'Invitation not delivered',
    what: (client: string) =>
      `The invitation email to ${client} could not be sent a day ago and has not been resent. Check the address, then resend or revoke the invitation.`,
  },
} as const;

/** Tells the inviting advisor what happened to their invitation: no more than they see of it through the API. */
export const advisorNoticeEmail = (invitation: Invitation, event: keyof typeof noticeText, to: string): OutgoingEmail => {
  const client = `${invitation.firstName} ${invitation.lastName}`;
  const { ticketId } = invitation.verification;
  return {
    to,
    subject: oneLine(`${noticeText[event].subject}: ${client}`),
    ...layout([
      noticeText[event].what(client),
      `Client: ${client} (${invitation.email})`,
      `Household: ${invitation.householdName} (${invitation.householdId})`,
      `Invitation: ${invitation.invitationId}${event === 'locked' && ticketId !== undefined ? `, ticket ${ticketId}` : ''}`,
    ]),
  };
};

/** Tells the inviting advisor SES could not deliver their invitation, or that the client marked it as spam. */
export const deliveryNoticeEmail = (invitation: Invitation, notice: 'bounced' | 'complained', to: string): OutgoingEmail => {
  const client = `${invitation.firstName} ${invitation.lastName}`;
  const what =
    notice === 'bounced'
      ? [
          `The invitation email to ${client} (${invitation.email}) bounced: the address does not accept mail.`,
          'Check the address with the client, then send a new invitation to the corrected one.',
        ]
      : [
          `${client} (${invitation.email}) marked the invitation email as spam.`,
          'No more emails go to them about it. Talk to the client before inviting them again.',
        ];
  return {
    to,
    subject: oneLine(notice === 'bounced' ? `Invitation email bounced: ${client}` : `Invitation marked as spam: ${client}`),
    ...layout([
      ...what,
      `Household: ${invitation.householdName} (${invitation.householdId})`,
      `Invitation: ${invitation.invitationId}, now ${notice}; its link no longer works and any open verification ticket is cancelled.`,
    ]),
  };
};

/** A returning client's sign-in link (lib/domain/sign-in-link.ts): the firm named when they have one household. */
export const signInLinkEmail = (
  access: Pick<PortalAccess, 'email' | 'firstName' | 'firmId' | 'firmName'>,
  link: string,
  households: number,
): OutgoingEmail => ({
  to: access.email,
  subject: oneLine(households === 1 ? `Sign in to your ${firmLabel(access)} client portal` : 'Sign in to your client portal'),
  ...layout(
    [
      `Hello ${access.firstName},`,
      'Use this link to sign in to your client portal. It works once, for 15 minutes.',
      'If you did not ask to sign in, you can ignore this email: nobody can sign in without the link.',
    ],
    { url: link, label: 'Sign in' },
  ),
});
