import type { InvitationStore, Outbox, TicketQueue } from '../domain/ports.ts';
import type { Invitation } from '../domain/invitation.ts';
import { logger } from '../logger.ts';

export interface SweepDeps {
  outbox: Outbox;
  ticketQueue: TicketQueue;
  invitations: InvitationStore;
  now: () => Date;
  graceMs: () => number;
}

/**
 * Repairs what a crash or an SQS/SES failure left half done: ticket requests whose ticket or ops email the
 * ops function never confirmed are queued again (both are idempotent), and emails SES never answered for are
 * marked send_failed so the advisor sees them and can resend.
 */
export const sweepOutbox = async (deps: SweepDeps, limit = 100): Promise<{ requeued: number; markedFailed: number }> => {
  const now = deps.now().toISOString();
  const due = await deps.outbox.due(now, limit);
  const requests = due.flatMap((entry) => (entry.kind === 'ticket_request' && entry.ticketRequest ? [entry.ticketRequest] : []));
  const retryAt = new Date(Date.parse(now) + deps.graceMs()).toISOString();
  if (requests.length > 0) {
    await deps.ticketQueue.send(requests);
    await Promise.all(due.filter((e) => e.kind === 'ticket_request').map((entry) => deps.outbox.postpone(entry, retryAt)));
  }
  const stale = due.filter((entry) => entry.kind === 'invitation_email');
  for (const entry of stale) {
    const keys = { firmId: entry.firmId, householdId: entry.householdId, invitationId: entry.invitationId } as Invitation;
    await deps.invitations.recordDelivery(keys, entry.tokenHash ?? '', 'failed', now);
  }
  if (due.length > 0) logger.info('outbox swept', { requeued: requests.length, markedFailed: stale.length });
  return { requeued: requests.length, markedFailed: stale.length };
};
