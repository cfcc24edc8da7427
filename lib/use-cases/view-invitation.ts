import { portalView } from '../domain/invitation.ts';
import type { InvitationStore } from '../domain/ports.ts';
import type { PortalInvitationView } from '../schemas/invitations.ts';
import { openInvitationLink } from './open-invitation-link.ts';

/** What the client's link shows: read-only, so mail scanners that open links change nothing. */
export const viewInvitation = async (
  deps: { invitations: InvitationStore; now: () => Date },
  token: string,
): Promise<PortalInvitationView> => portalView(await openInvitationLink(deps, token), deps.now());
