// The client portal's session cookie and who it signs in: the shared server-side sessions (lib/sessions) of a client.
import type { HttpEvent } from '../http/middlewares/http-request.ts';
import type { Reply } from '../http/response.ts';
import type { PortalSession, PortalSessionStore } from '../domain/portal-access.ts';
import { clearCookie, cookieValue, setCookie } from '../sessions/cookies.ts';
import { fromOwnOrigin, originOf } from '../sessions/same-origin.ts';
import { resumeSession, sessionLimits } from '../sessions/server-session.ts';

export const portalSessionCookie = '__Host-portal_session';

export const portalSessionCookieFor = (id: string): string => setCookie(portalSessionCookie, id, sessionLimits.absoluteMs / 1000);
export const signedOutCookie = (): string => clearCookie(portalSessionCookie);

export interface PortalSessionDeps {
  portalSessions: PortalSessionStore;
  now: () => Date;
  portalUrl: () => string;
}

/** The live session the request's cookie names, its activity recorded; none when unknown, expired, idle or signed out. */
export const portalSessionOf = (deps: PortalSessionDeps, event: HttpEvent): Promise<PortalSession | undefined> =>
  resumeSession(deps.portalSessions, cookieValue(event.cookies, portalSessionCookie), deps.now());

/** Whether the browser says this post came from the portal's own pages: only such a post may start or end a session. */
export const fromPortalPage = (deps: Pick<PortalSessionDeps, 'portalUrl'>, event: HttpEvent): boolean =>
  fromOwnOrigin(event.headers, originOf(deps.portalUrl()));

/**
 * The sessions an acceptance may start one in: only for a post from the portal's own pages, so another site cannot
 * sign a visitor in to a household that is not theirs (login CSRF) by posting an invitation of its own.
 */
export const sessionsToSignIn = (deps: PortalSessionDeps, event: HttpEvent): PortalSessionStore | undefined =>
  fromPortalPage(deps, event) ? deps.portalSessions : undefined;

/** `reply`, setting the cookie of the session `id` when one was started. */
export const signedInWith = (reply: Reply, id: string | undefined): Reply =>
  id === undefined ? reply : { ...reply, cookies: [...(reply.cookies ?? []), portalSessionCookieFor(id)] };
