import { ticketFrom } from '../domain/ticket.ts';
import type { Mailer, TicketStore } from '../domain/ports.ts';
import { opsTicketEmail } from '../email/messages.ts';
import type { TicketRequest } from '../schemas/invitations.ts';
import { retryFor } from './retry-for.ts';

export interface RaiseTicketDeps {
  tickets: TicketStore;
  mailer: Mailer;
  opsEmail: () => string;
  now: () => Date;
}

/** Longer than one ops-function run, shorter than the queue's visibility timeout. */
const notifyLeaseMs = 60_000;
/** Within the ops function's 30 s: a sent email whose record fails is recorded again, not sent again. */
const recordRetryMs = 20_000;

// Giving up leaves the outbox entry: once the lease runs out the sweeper sends the email a second time.
const recordNotified = (deps: RaiseTicketDeps, request: TicketRequest): Promise<void> =>
  retryFor(recordRetryMs, 1_000, () => deps.tickets.markNotified(request, deps.now().toISOString()));

/**
 * Turns one queued request into an ops ticket, exactly once however often the message arrives, and
 * emails the ops inbox once. Throws to have the message retried when the email could not go out.
 */
export const raiseVerificationTicket = async (deps: RaiseTicketDeps, request: TicketRequest): Promise<'created' | 'duplicate'> => {
  const now = deps.now();
  const leaseUntil = new Date(now.getTime() + notifyLeaseMs).toISOString();
  const ticket = ticketFrom(request, 'open', now.toISOString());
  const outcome = await deps.tickets.createFromRequest(ticket, leaseUntil);
  const toNotify =
    outcome === 'created'
      ? ticket
      : await deps.tickets.claimNotification(request.firmId, request.ticketId, now.toISOString(), leaseUntil);
  if (toNotify) {
    try {
      await deps.mailer.send(opsTicketEmail(toNotify, deps.opsEmail()));
    } catch (error) {
      // Best effort: if this fails too, the lease simply runs out before the queue redelivers.
      await deps.tickets.releaseNotification(request.firmId, request.ticketId, leaseUntil).catch(() => undefined);
      throw error;
    }
    await recordNotified(deps, request);
  }
  return outcome === 'created' ? 'created' : 'duplicate';
};
