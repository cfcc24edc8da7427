import { recorded, systemActor, type InRequest } from '../domain/audit.ts';
import type { InvitationStore, Mailer, TicketStore } from '../domain/ports.ts';
import type { Ticket } from '../domain/ticket.ts';
import { markNotified, raise, releaseNotification, type RaiseOutcome } from '../domain/ticket-lifecycle.ts';
import { opsTicketEmail } from '../email/messages.ts';
import type { TicketRequest } from '../schemas/invitations.ts';
import { opsEmail, tableCallMaxMs } from '../settings/timing.ts';
import { recordMetrics } from './perform-effects.ts';
import { announce, type Announcing } from './publish-events.ts';
import { retryFor } from './retry-for.ts';

/** `requestId`: the queue message's id, recorded with the ticket's events. */
export interface RaiseTicketDeps extends InRequest, Announcing {
  tickets: Pick<TicketStore, 'get' | 'apply'>;
  invitations: Pick<InvitationStore, 'get'>;
  mailer: Mailer;
  opsEmail: () => string;
  /** The portal's base URL, which serves the ops console the email links to. */
  portalUrl: () => string;
  now: () => Date;
  /** Time left in this invocation (Lambda's context.getRemainingTimeInMillis). */
  remainingMs?: (() => number) | undefined;
}

// The lease, the record retry budget and the send margin, with their rules against the queue and the function.
const { notifyLeaseMs, recordRetryMs, sendAndRecordMs } = opsEmail;
/** Reads before giving the message back to the queue: each lost race means another delivery or a decision moved on. */
const rounds = 3;

// Giving up leaves the outbox entry and the lease: once the lease runs out the sweeper sends the email a second time.
const recordNotified = (deps: RaiseTicketDeps, ticket: Ticket): Promise<void> =>
  retryFor({ forMs: recordRetryMs, firstDelayMs: 1_000, remainingMs: deps.remainingMs, marginMs: tableCallMaxMs }, async () => {
    const outcome = await deps.tickets.apply(markNotified(ticket, deps.now()).change);
    if (!outcome.ok) throw new Error('could not record the ops notification');
  });

/** Emails the ops inbox under the lease `ticket` holds, and records it; a failure gives the lease back and throws. */
const notify = async (deps: RaiseTicketDeps, ticket: Ticket): Promise<void> => {
  const release = async () => {
    const released = releaseNotification(ticket);
    if (released) await deps.tickets.apply(released.change).catch(() => undefined);
  };
  // Too little time left to send and record: an email sent now might never be recorded, and go out twice.
  if (deps.remainingMs && deps.remainingMs() < sendAndRecordMs) {
    await release();
    throw new Error('too little time left to email ops and record it; the message will be retried');
  }
  try {
    await deps.mailer.send(opsTicketEmail(ticket, deps.opsEmail(), deps.portalUrl()));
  } catch (error) {
    // Best effort: if this fails too, the lease simply runs out before the queue redelivers.
    await release();
    throw error;
  }
  await recordNotified(deps, ticket);
};

/**
 * Turns one queued request into an ops ticket, exactly once however often the message arrives, and emails the
 * ops inbox once (see the README on which window can still send it twice). A request whose invitation is no
 * longer live is filed cancelled, with the reason, and leaves the outbox. Throws to have the message retried.
 */
export const raiseVerificationTicket = async (deps: RaiseTicketDeps, request: TicketRequest): Promise<RaiseOutcome> => {
  for (let round = 1; round <= rounds; round += 1) {
    const [ticket, invitation] = await Promise.all([
      deps.tickets.get(request.ticketId),
      deps.invitations.get(request.firmId, request.householdId, request.invitationId),
    ]);
    const { outcome, transition } = raise(request, { ticket, invitation }, deps.now(), notifyLeaseMs);
    if (!transition) return outcome;
    const change = recorded(transition.change, systemActor, deps.requestId);
    if (!(await deps.tickets.apply(change)).ok) continue;
    await announce(deps, change.events);
    recordMetrics(transition.effects);
    for (const effect of transition.effects) {
      if (effect.kind === 'email_ops') await notify(deps, effect.ticket);
    }
    return outcome;
  }
  throw new Error('the ticket kept changing while this request was handled; the message will be retried');
};
