import { AppError } from '../domain/errors.ts';
import { openInvitationLink, type LinkDeps } from './open-invitation-link.ts';

/** A verified client accepts once; portal access is then active for their household. */
export const acceptInvitation = async (
  deps: LinkDeps,
  token: string,
  source?: string,
): Promise<{ status: 'active'; householdId: string }> => {
  const invitation = await openInvitationLink(deps, token, source);
  if (invitation.state === 'accepted') throw new AppError('conflict', 'This invitation has already been accepted');
  if (invitation.verification.status !== 'verified') {
    throw new AppError('conflict', 'Your identity has to be verified before you can accept');
  }
  await deps.invitations.accept(invitation, deps.now().toISOString());
  return { status: 'active', householdId: invitation.householdId };
};
