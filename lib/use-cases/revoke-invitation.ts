import { recorded, staffActor, type InRequest } from '../domain/audit.ts';
import { notFound } from '../domain/errors.ts';
import { invitationView } from '../domain/invitation.ts';
import { refusalOf } from '../domain/invitation-change.ts';
import { revoke } from '../domain/invitation-lifecycle.ts';
import type { Caller, InvitationStore } from '../domain/ports.ts';
import type { InvitationView } from '../schemas/views.ts';
import { recordMetrics } from './perform-effects.ts';

const rounds = 5;

/**
 * The link dies and any open verification ticket is cancelled, even one still on its way to ops. The revoke is
 * conditional on the verification state it read; a lock that lands first is read again, and its ticket cancelled.
 */
export const revokeInvitation = async (
  deps: { invitations: Pick<InvitationStore, 'get' | 'apply'>; now: () => Date } & InRequest,
  caller: Caller,
  ids: { householdId: string; invitationId: string },
): Promise<InvitationView> => {
  for (let round = 1; ; round += 1) {
    const current = await deps.invitations.get(caller.firmId, ids.householdId, ids.invitationId);
    if (!current) throw notFound('invitation');
    const now = deps.now();
    const revoked = revoke(current, caller.sub, now);
    const outcome = await deps.invitations.apply(recorded(revoked.change, staffActor(caller, 'advisor'), deps.requestId));
    if (outcome.ok) {
      recordMetrics(revoked.effects);
      return invitationView(revoked.next, now);
    }
    if (round >= rounds) throw refusalOf(outcome);
  }
};
