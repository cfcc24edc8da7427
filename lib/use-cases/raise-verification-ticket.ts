import { isExpired, type Invitation } from '../domain/invitation.ts';
import { ticketFrom, type Ticket } from '../domain/ticket.ts';
import type { InvitationStore, Mailer, TicketStore } from '../domain/ports.ts';
import { opsTicketEmail } from '../email/messages.ts';
import { businessMetrics, recordMetric } from '../metrics.ts';
import type { TicketRequest } from '../schemas/invitations.ts';
import { opsEmail, tableCallMaxMs } from '../settings/timing.ts';
import { retryFor } from './retry-for.ts';

export interface RaiseTicketDeps {
  tickets: TicketStore;
  invitations: Pick<InvitationStore, 'get'>;
  mailer: Mailer;
  opsEmail: () => string;
  now: () => Date;
  /** Time left in this invocation (Lambda's context.getRemainingTimeInMillis). */
  remainingMs?: (() => number) | undefined;
}

// The lease, the record retry budget and the send margin, with their rules against the queue and the function.
const { notifyLeaseMs, recordRetryMs, sendAndRecordMs } = opsEmail;
/** Who cancels a ticket nobody could decide: the service itself. */
const cancelledBy = 'portal-onboarding';

// Giving up leaves the outbox entry and the lease: once the lease runs out the sweeper sends the email a second time.
const recordNotified = (deps: RaiseTicketDeps, request: TicketRequest): Promise<void> =>
  retryFor({ forMs: recordRetryMs, firstDelayMs: 1_000, remainingMs: deps.remainingMs, marginMs: tableCallMaxMs }, () =>
    deps.tickets.markNotified(request, deps.now().toISOString()),
  );

/** Why nobody could ever decide a ticket for this request, or undefined while its invitation waits for one. */
export const whyUndecidable = (invitation: Invitation | undefined, request: TicketRequest, now: Date): string | undefined => {
  // Never so in this service (the request is written with its invitation); filed open as before, so nothing is lost.
  if (invitation === undefined) return undefined;
  if (invitation.state !== 'live') return `invitation ${invitation.state}`;
  if (isExpired(invitation, now)) return 'invitation expired';
  if (invitation.verification.ticketId !== request.ticketId) return 'invitation verification moved to another ticket';
  const awaiting = request.reason === 'verification_locked' ? 'locked' : 'pending_review';
  if (invitation.verification.status !== awaiting) return `verification already ${invitation.verification.status}`;
  return undefined;
};

const cancelled = (request: TicketRequest, reason: string, at: string): Ticket => ({
  ...ticketFrom(request, 'cancelled', at),
  decidedAt: at,
  decidedBy: cancelledBy,
  note: reason,
});

const notify = async (deps: RaiseTicketDeps, request: TicketRequest, ticket: Ticket, leaseUntil: string): Promise<void> => {
  const release = () => deps.tickets.releaseNotification(request.firmId, request.ticketId, leaseUntil).catch(() => undefined);
  // Too little time left to send and record: an email sent now might never be recorded, and go out twice.
  if (deps.remainingMs && deps.remainingMs() < sendAndRecordMs) {
    await release();
    throw new Error('too little time left to email ops and record it; the message will be retried');
  }
  try {
    await deps.mailer.send(opsTicketEmail(ticket, deps.opsEmail()));
  } catch (error) {
    // Best effort: if this fails too, the lease simply runs out before the queue redelivers.
    await release();
    throw error;
  }
  await recordNotified(deps, request);
};

/**
 * Turns one queued request into an ops ticket, exactly once however often the message arrives, and emails the
 * ops inbox once (see the README on which window can still send it twice). A request whose invitation is no
 * longer live is filed cancelled, with the reason, and leaves the outbox. Throws to have the message retried.
 */
export const raiseVerificationTicket = async (
  deps: RaiseTicketDeps,
  request: TicketRequest,
): Promise<'created' | 'duplicate' | 'cancelled'> => {
  const now = deps.now();
  const at = now.toISOString();
  const invitation = await deps.invitations.get(request.firmId, request.householdId, request.invitationId);
  const undecidable = whyUndecidable(invitation, request, now);
  if (undecidable !== undefined) {
    const outcome = await deps.tickets.cancelFromRequest(cancelled(request, undecidable, at));
    if (outcome === 'cancelled') recordMetric(businessMetrics.ticketsCancelled);
    return outcome === 'cancelled' ? 'cancelled' : 'duplicate';
  }
  const leaseUntil = new Date(now.getTime() + notifyLeaseMs).toISOString();
  const ticket = ticketFrom(request, 'open', at);
  const outcome = await deps.tickets.createFromRequest(ticket, leaseUntil);
  if (outcome === 'created') recordMetric(businessMetrics.ticketsRaised);
  const toNotify = outcome === 'created' ? ticket : await deps.tickets.claimNotification(request.firmId, request.ticketId, at, leaseUntil);
  if (toNotify) {
    await notify(deps, request, toNotify, leaseUntil);
  } else if ((await deps.tickets.get(request.firmId, request.ticketId))?.status !== 'open') {
    // Decided or cancelled meanwhile (a revoke after the read above): nothing is owed, so the request leaves the outbox.
    await deps.tickets.cancelFromRequest(cancelled(request, 'decided before ops were emailed', at));
  }
  return outcome === 'created' ? 'created' : 'duplicate';
};
