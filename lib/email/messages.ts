import type { OutgoingEmail } from '../domain/ports.ts';
import type { Invitation } from '../domain/invitation.ts';
import { keyOf } from '../domain/invitation-change.ts';
import type { Ticket } from '../domain/ticket.ts';
import { consolePaths } from '../console/paths.ts';
import { layout, oneLine } from './escape.ts';

const firmLabel = (firm: { firmId: string; firmName?: string | undefined }) => firm.firmName ?? firm.firmId;
const expiryDate = (iso: string) => new Date(iso).toUTCString().replace(/ \d\d:\d\d:\d\d GMT$/, '');

export const inviteLink = (portalUrl: string, token: string) => `${portalUrl}/invite/${token}`;

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
