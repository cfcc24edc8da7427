import { clientActor, recorded, type InRequest } from '../domain/audit.ts';
import { refusalOf } from '../domain/invitation-change.ts';
import { accept } from '../domain/invitation-lifecycle.ts';
import { clientKeyOf, type PortalSessionStore } from '../domain/portal-access.ts';
import type { InvitationStore } from '../domain/ports.ts';
import { logger } from '../logger.ts';
import { startSession } from '../sessions/server-session.ts';
import { openInvitationLink, type LinkDeps } from './open-invitation-link.ts';
import { announce, type Announcing } from './publish-events.ts';

export interface AcceptDeps extends LinkDeps, InRequest, Announcing {
  invitations: Pick<InvitationStore, 'findByToken' | 'apply'>;
  /** Given when the client is to be signed in to the portal as they accept (a post from the portal's own pages). */
  portalSessions?: PortalSessionStore | undefined;
}

/** What accepting answers; `sessionId` (for the cookie only) when the client was signed in. */
export interface Accepted {
  status: 'active';
  householdId: string;
  sessionId?: string;
}

/** A verified client accepts once; portal access is then active for their household, and they are signed in to it. */
export const acceptInvitation = async (deps: AcceptDeps, token: string, source?: string): Promise<Accepted> => {
  const invitation = await openInvitationLink(deps, token, source);
  const accepted = accept(invitation, deps.now());
  const change = recorded(accepted.change, clientActor(invitation.invitationId), deps.requestId);
  const outcome = await deps.invitations.apply(change);
  if (!outcome.ok) throw refusalOf(outcome);
  await announce(deps, change.events);
  const access = { status: 'active' as const, householdId: invitation.householdId };
  if (!deps.portalSessions) return access;
  try {
    const { id } = await startSession(deps.portalSessions, { clientKey: clientKeyOf(invitation.email) }, deps.now());
    return { ...access, sessionId: id };
  } catch (error) {
    // Accepted all the same: the client signs in with an emailed link instead.
    logger.warn('invitation accepted without a portal session', { error: error instanceof Error ? error.name : 'unknown' });
    return access;
  }
};
