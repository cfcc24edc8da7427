import { AppError, notFound } from '../domain/errors.ts';
import { expiryFrom, statusOf, type Invitation } from '../domain/invitation.ts';
import type { Caller, InvitationStore, Mailer, TicketStore } from '../domain/ports.ts';
import { ticketView, type Ticket } from '../domain/ticket.ts';
import { hashToken, newToken } from '../domain/token.ts';
import { rejectedEmail } from '../email/messages.ts';
import { businessMetrics, recordMetric } from '../metrics.ts';
import type { TicketView } from '../schemas/views.ts';
import { deliverInvitationEmail, type DeliveryDeps } from './deliver-invitation-email.ts';

export interface DecideDeps extends DeliveryDeps {
  tickets: TicketStore;
  invitations: InvitationStore;
  mailer: Mailer;
  expiryDays: () => number;
}

type Notification = 'sent' | 'send_failed' | 'no_recipient';

/** Maker-checker: the person who raised a ticket (the inviting advisor, who may also be in ops) never decides it. */
const assertNotRequester = (ticket: Ticket, caller: Caller) => {
  if (ticket.requestedBy === caller.sub) {
    throw new AppError('forbidden', 'You raised this ticket; another member of the ops team must decide it');
  }
};

/** What became of an invitation that can no longer be verified, or undefined while it is live. */
const deadInvitation = (invitation: Invitation | undefined, now: Date): string | undefined => {
  if (!invitation) return 'deleted';
  const status = statusOf(invitation, now);
  return status === 'revoked' || status === 'accepted' || status === 'expired' ? status : undefined;
};

/** A ticket whose invitation is gone is cancelled, never left open for nobody to decide. */
const cancelFor = async (deps: DecideDeps, caller: Caller, ticket: Ticket, fate: string): Promise<never> => {
  const now = deps.now().toISOString();
  const cancelled: Ticket = { ...ticket, status: 'cancelled', decidedAt: now, decidedBy: caller.sub, note: `invitation ${fate}` };
  if ((await deps.tickets.cancelFromRequest(cancelled)) === 'already_decided') {
    throw new AppError('conflict', 'This ticket has already been decided');
  }
  recordMetric(businessMetrics.ticketsCancelled);
  throw new AppError('conflict', `This ticket is now cancelled: the invitation behind it was ${fate}`);
};

const openTicket = async (deps: DecideDeps, caller: Caller, ticketId: string) => {
  const ticket = await deps.tickets.get(caller.firmId, ticketId);
  if (!ticket) throw notFound('ticket');
  assertNotRequester(ticket, caller);
  if (ticket.status !== 'open') throw new AppError('conflict', `This ticket is already ${ticket.status}`);
  const invitation = await deps.invitations.get(ticket.firmId, ticket.householdId, ticket.invitationId);
  const dead = deadInvitation(invitation, deps.now());
  if (dead !== undefined || !invitation) return cancelFor(deps, caller, ticket, dead ?? 'deleted');
  return { ticket, invitation };
};

/** Runs the decision; if it lost to a revoke, accept or expiry meanwhile, the ticket is cancelled instead. */
const decideOrCancel = async <T,>(deps: DecideDeps, caller: Caller, ticket: Ticket, decide: () => Promise<T>): Promise<T> => {
  try {
    return await decide();
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'conflict') throw error;
    const current = await deps.invitations.get(ticket.firmId, ticket.householdId, ticket.invitationId);
    const dead = deadInvitation(current, deps.now());
    if (dead !== undefined) return cancelFor(deps, caller, ticket, dead);
    throw error;
  }
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
  const decided = await decideOrCancel(deps, caller, ticket, () =>
    deps.tickets.decide(
      ticket,
      invitation,
      { status: 'approved', by: caller.sub, at: now.toISOString(), note },
      { hash: hashToken(token), expiresAt: expiryFrom(now, deps.expiryDays()) },
    ),
  );
  recordDecision(decided.ticket);
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
  const decided = await decideOrCancel(deps, caller, ticket, () =>
    deps.tickets.decide(ticket, invitation, { status: 'rejected', by: caller.sub, at: deps.now().toISOString(), note: reason }, undefined),
  );
  recordDecision(decided.ticket);
  return { ticket: ticketView(decided.ticket), notification: await tellAdvisor(deps, decided.ticket, invitation.invitedByEmail, reason) };
};

/** How long the client waited on ops, from the ticket's creation to this decision. */
const recordDecision = (ticket: Ticket): void => {
  recordMetric(ticket.status === 'approved' ? businessMetrics.ticketsApproved : businessMetrics.ticketsRejected);
  const waitedMs = Date.parse(ticket.decidedAt ?? '') - Date.parse(ticket.createdAt);
  if (Number.isFinite(waitedMs)) recordMetric(businessMetrics.ticketTimeToDecision, Math.max(0, Math.round(waitedMs / 1000)), 'Seconds');
};

const tellAdvisor = async (deps: DecideDeps, ticket: Ticket, advisorEmail: string | undefined, reason: string): Promise<Notification> => {
  if (advisorEmail === undefined) return 'no_recipient';
  return deps.mailer.send(rejectedEmail(ticket, advisorEmail, reason)).then(
    () => 'sent' as const,
    () => 'send_failed' as const,
  );
};
