// A JSON call from the portal's own page on behalf of its signed-in client: the session cookie says who, and the
// origin and the session's CSRF token (header x-csrf-token) say the page of this session sent it.
import { AppError } from '../domain/errors.ts';
import type { PortalUser } from '../domain/portal-access.ts';
import type { HttpEvent } from '../http/middlewares/http-request.ts';
import { csrfTokenMatches } from '../sessions/server-session.ts';
import { fromPortalPage, portalSessionOf, type PortalSessionDeps } from './portal-session.ts';

export const csrfHeader = 'x-csrf-token';

export const signedInClient = async (deps: PortalSessionDeps, event: HttpEvent): Promise<PortalUser> => {
  const session = await portalSessionOf(deps, event);
  if (!session) throw new AppError('unauthorized', 'Sign in to the portal first');
  if (!fromPortalPage(deps, event) || !csrfTokenMatches(session, event.headers[csrfHeader])) {
    throw new AppError('forbidden', "Only the portal's own page may do this");
  }
  return session.user;
};
