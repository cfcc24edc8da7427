import type { OutgoingEmail } from '../domain/ports.ts';
import type { Invitation } from '../domain/invitation.ts';
import type { Ticket } from '../domain/ticket.ts';
import { layout, oneLine } from './escape.ts';

const firmLabel = (firm: { firmId: string; firmName?: string | undefined }) => firm.firmName ?? firm.firmId;
const expiryDate = (iso: string) => new Date(iso).toUTCString().replace(/ \d\d:\d\d:\d\d GMT$/, '');

export const inviteLink = (portalUrl: string, token: string) => `${portalUrl}/invite/${token}`;

export const invitationEmail = (invitation: Invitation, link: string): OutgoingEmail => {
  const firm = firmLabel(invitation);
  const next =
    invitation.verification.method === 'account_number'
      ? 'To confirm it is you, we will ask for one of your account numbers.'
      : 'Our operations team will confirm your identity; the link shows you when that is done.';
  return {
    to: invitation.email,
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

export const opsTicketEmail = (ticket: Ticket, to: string): OutgoingEmail => {
  const why = ticket.reason === 'no_account' ? 'the household has no accounts yet (prospect)' : 'the client entered a wrong account number too many times';
  return {
    to,
    subject: oneLine(`Verification needed: ticket ${ticket.ticketId}`),
    ...layout([
      `A client needs their identity verified by hand because ${why}.`,
      `Client: ${ticket.client.firstName} ${ticket.client.lastName} <${ticket.client.email}>`,
      `Household: ${ticket.householdName} (${ticket.householdId})`,
      `Firm: ${firmLabel(ticket)} (${ticket.firmId})`,
      `Ticket: ${ticket.ticketId}`,
      `Approve with POST /ops/tickets/${ticket.ticketId}/approve or reject with POST /ops/tickets/${ticket.ticketId}/reject.`,
    ]),
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
