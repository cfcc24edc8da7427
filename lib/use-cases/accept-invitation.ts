import { clientActor, recorded, type InRequest } from '../domain/audit.ts';
import { refusalOf } from '../domain/invitation-change.ts';
import { accept } from '../domain/invitation-lifecycle.ts';
import { openInvitationLink, type LinkDeps } from './open-invitation-link.ts';

/** A verified client accepts once; portal access is then active for their household. */
export const acceptInvitation = async (
  deps: LinkDeps & InRequest,
  token: string,
  source?: string,
): Promise<{ status: 'active'; householdId: string }> => {
  const invitation = await openInvitationLink(deps, token, source);
  const accepted = accept(invitation, deps.now());
  const outcome = await deps.invitations.apply(recorded(accepted.change, clientActor(invitation.invitationId), deps.requestId));
  if (!outcome.ok) throw refusalOf(outcome);
  return { status: 'active', householdId: invitation.householdId };
};
