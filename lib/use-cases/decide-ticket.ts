import { AppError, notFound } from '../domain/errors.ts';
import { expiryFrom } from '../domain/invitation.ts';
import type { Caller, InvitationStore, Mailer, TicketStore } from '../domain/ports.ts';
import { ticketView, type Ticket } from '../domain/ticket.ts';
import { hashToken, newToken } from '../domain/token.ts';
import { rejectedEmail } from '../email/messages.ts';
import type { TicketView } from '../schemas/views.ts';
import { deliverInvitationEmail, type DeliveryDeps } from './deliver-invitation-email.ts';

export interface DecideDeps extends DeliveryDeps {
  tickets: TicketStore;
  invitations: InvitationStore;
  mailer: Mailer;
  expiryDays: () => number;
}

type Notification = 'sent' | 'send_failed' | 'no_recipient';

const openTicket = async (deps: DecideDeps, caller: Caller, ticketId: string) => {
  const ticket = await deps.tickets.get(caller.firmId, ticketId);
  if (!ticket) throw notFound('ticket');
  if (ticket.status !== 'open') throw new AppError('conflict', `This ticket is already ${ticket.status}`);
  const invitation = await deps.invitations.get(ticket.firmId, ticket.householdId, ticket.invitationId);
  if (!invitation) throw new AppError('conflict', 'The invitation behind this ticket no longer exists');
  return { ticket, invitation };
};

/** Ops vouch for the client: verification becomes verified and the client gets a fresh link by email. */
export const approveVerification = async (
  deps: DecideDeps,
  caller: Caller,
  ticketId: string,
  note: string | undefined,
): Promise<{ ticket: TicketView; notification: Notification }> => {
  const { ticket, invitation } = await openTicket(deps, caller, ticketId);
  const now = deps.now();
  const token = newToken();
  const decided = await deps.tickets.decide(
    ticket,
    invitation,
    { status: 'approved', by: caller.sub, at: now.toISOString(), note },
    { hash: hashToken(token), expiresAt: expiryFrom(now, deps.expiryDays()) },
  );
  // The decision stands even if SES fails; the invitation then shows send_failed and the advisor can resend.
  const { sent } = await deliverInvitationEmail(deps, decided.invitation, token, 'verified');
  return { ticket: ticketView(decided.ticket), notification: sent ? 'sent' : 'send_failed' };
};

/** Ops decline: verification becomes rejected and the advisor hears about it when their address is known. */
export const rejectVerification = async (
  deps: DecideDeps,
  caller: Caller,
  ticketId: string,
  reason: string,
): Promise<{ ticket: TicketView; notification: Notification }> => {
  const { ticket, invitation } = await openTicket(deps, caller, ticketId);
  const decided = await deps.tickets.decide(
    ticket,
    invitation,
    { status: 'rejected', by: caller.sub, at: deps.now().toISOString(), note: reason },
    undefined,
  );
  return { ticket: ticketView(decided.ticket), notification: await tellAdvisor(deps, decided.ticket, invitation.invitedByEmail, reason) };
};

const tellAdvisor = async (deps: DecideDeps, ticket: Ticket, advisorEmail: string | undefined, reason: string): Promise<Notification> => {
  if (advisorEmail === undefined) return 'no_recipient';
  return deps.mailer.send(rejectedEmail(ticket, advisorEmail, reason)).then(
    () => 'sent' as const,
    () => 'send_failed' as const,
  );
};
