import type { PortalAccessStore, PortalSessionStore } from '../domain/portal-access.ts';
import { signInLinkWorks, type SignInLink, type SignInLinkStore } from '../domain/sign-in-link.ts';
import { hashToken } from '../domain/token.ts';
import { startSession } from '../sessions/server-session.ts';
import { countDeadLink, linkNoLongerValid, type LinkDeps } from './open-invitation-link.ts';

export interface SignInLinkDeps extends Pick<LinkDeps, 'attempts' | 'limits' | 'now'> {
  signInLinks: Pick<SignInLinkStore, 'find' | 'take'>;
  portalAccess: PortalAccessStore;
  portalSessions: PortalSessionStore;
}

/** Unknown, used and expired links are one answer (404), counted per source like a dead invitation link. */
const deadLink = async (deps: SignInLinkDeps, source: string | undefined): Promise<never> => {
  await countDeadLink(deps, source);
  throw linkNoLongerValid();
};

/** GET and HEAD: the link's page. Read-only, so a mail scanner opening it uses nothing. */
export const openSignInLink = async (deps: SignInLinkDeps, token: string, source: string | undefined): Promise<SignInLink> => {
  const link = await deps.signInLinks.find(hashToken(token));
  return signInLinkWorks(link, deps.now()) ? link : deadLink(deps, source);
};

/**
 * The page's button: the link is used up in one conditional delete (of two simultaneous posts, one signs in) and a
 * session starts for its client, if they still have portal access. Returns the session's id, for the cookie only.
 */
export const signInWithLink = async (deps: SignInLinkDeps, token: string, source: string | undefined): Promise<string> => {
  const link = await deps.signInLinks.take(hashToken(token), deps.now());
  if (!link) return deadLink(deps, source);
  const accesses = await deps.portalAccess.accessesOf(link.client.clientKey);
  if (accesses.length === 0) return deadLink(deps, source);
  const { id } = await startSession(deps.portalSessions, link.client, deps.now());
  return id;
};
