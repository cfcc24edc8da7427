import { portalView } from '../domain/invitation.ts';
import type { PortalInvitationView } from '../schemas/views.ts';
import { openInvitationLink, type LinkDeps } from './open-invitation-link.ts';

/** What the client's link shows: read-only, so mail scanners that open links change nothing. */
export const viewInvitation = async (deps: LinkDeps, token: string, source?: string): Promise<PortalInvitationView> =>
  portalView(await openInvitationLink(deps, token, source), deps.now());
