import { AppError, notFound } from '../domain/errors.ts';
import { invitationView } from '../domain/invitation.ts';
import type { Caller, InvitationStore } from '../domain/ports.ts';
import { businessMetrics, recordMetric } from '../metrics.ts';
import type { InvitationView } from '../schemas/views.ts';

const rounds = 5;

/**
 * The link dies and any open verification ticket is cancelled, even one still on its way to ops. The revoke is
 * conditional on the verification state it read; a lock that lands first is read again, and its ticket cancelled.
 */
export const revokeInvitation = async (
  deps: { invitations: InvitationStore; now: () => Date },
  caller: Caller,
  ids: { householdId: string; invitationId: string },
): Promise<InvitationView> => {
  for (let round = 1; ; round += 1) {
    const current = await deps.invitations.get(caller.firmId, ids.householdId, ids.invitationId);
    if (!current) throw notFound('invitation');
    if (current.state !== 'live') throw new AppError('conflict', `The invitation is already ${current.state}`);
    const now = deps.now();
    try {
      const revoked = await deps.invitations.revoke(current, now.toISOString(), caller.sub);
      const { ticketId, status } = current.verification;
      // The revoke cancelled the ticket awaiting ops (or about to), in the same write.
      if (ticketId !== undefined && (status === 'pending_review' || status === 'locked')) recordMetric(businessMetrics.ticketsCancelled);
      return invitationView(revoked, now);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'conflict' || round >= rounds) throw error;
    }
  }
};
