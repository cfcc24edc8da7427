import { AppError, notFound } from '../domain/errors.ts';
import { invitationView } from '../domain/invitation.ts';
import type { Caller, InvitationStore } from '../domain/ports.ts';
import type { InvitationView } from '../schemas/views.ts';

/** The link dies and any open verification ticket is cancelled, even one still on its way to ops. */
export const revokeInvitation = async (
  deps: { invitations: InvitationStore; now: () => Date },
  caller: Caller,
  ids: { householdId: string; invitationId: string },
): Promise<InvitationView> => {
  const current = await deps.invitations.get(caller.firmId, ids.householdId, ids.invitationId);
  if (!current) throw notFound('invitation');
  if (current.state !== 'live') throw new AppError('conflict', `The invitation is already ${current.state}`);
  const now = deps.now();
  const revoked = await deps.invitations.revoke(current, now.toISOString(), caller.sub);
  return invitationView(revoked, now);
};
