import { AppError } from '../domain/errors.ts';
import { linkWorks, type Invitation } from '../domain/invitation.ts';
import type { InvitationStore } from '../domain/ports.ts';
import { hashToken } from '../domain/token.ts';

/** One answer for unknown, replaced, expired and revoked links, so none can be told apart. */
export const linkNoLongerValid = () => new AppError('not_found', 'This link is no longer valid');

export const openInvitationLink = async (
  deps: { invitations: InvitationStore; now: () => Date },
  token: string,
): Promise<Invitation> => {
  const invitation = await deps.invitations.findByToken(hashToken(token));
  if (!invitation || !linkWorks(invitation, deps.now())) throw linkNoLongerValid();
  return invitation;
};
