// The portal's pages and posts, from the request to the answer; the use cases decide, these only choose the page.
import type { DocumentRequestStore } from '../domain/document-request.ts';
import { AppError } from '../domain/errors.ts';
import type { PortalAccessStore } from '../domain/portal-access.ts';
import type { HttpEvent } from '../http/middlewares/http-request.ts';
import { parseJsonBody } from '../http/request.ts';
import type { Reply } from '../http/response.ts';
import { logger } from '../logger.ts';
import { parseFormBody } from '../pages/form-body.ts';
import { throttledReply, unavailableReply } from '../pages/invite-views.ts';
import { seeOther } from '../pages/page-document.ts';
import { postedToken } from '../sessions/same-origin.ts';
import { csrfTokenMatches, endSession } from '../sessions/server-session.ts';
import { cookieValue } from '../sessions/cookies.ts';
import { requestPortalSignIn, type SignInRequestDeps } from '../use-cases/request-portal-sign-in.ts';
import { openSignInLink, signInWithLink, type SignInLinkDeps } from '../use-cases/sign-in-with-link.ts';
import { viewPortal } from '../use-cases/view-portal.ts';
import { signInRequestBody } from './forms.ts';
import { portalPageReply } from './portal-page.ts';
import { portalPaths } from './paths.ts';
import { fromPortalPage, portalSessionCookie, portalSessionOf, signedInWith, signedOutCookie, type PortalSessionDeps } from './portal-session.ts';
import { checkEmailReply, deadSignInLinkReply, refusedPostReply, signInFormReply, signInLinkReply } from './sign-in-pages.ts';

const sourceOf = (event: HttpEvent) => event.requestContext.http.sourceIp;
const tokenOf = (event: HttpEvent) => event.pathParameters?.token ?? '';

/** Failures that replace the whole page: a dead link, a throttled source, our own outage. */
const failurePage = (error: unknown): Reply => {
  if (error instanceof AppError) {
    if (error.code === 'not_found') return deadSignInLinkReply();
    if (error.code === 'rate_limited') return throttledReply();
    if (error.code === 'service_unavailable') return unavailableReply(503);
  }
  logger.error('portal page failed', {
    error: error instanceof Error ? { name: error.name, code: (error as AppError).code, stack: error.stack } : 'unknown',
  });
  return unavailableReply(500);
};

type PortalPageDeps = PortalSessionDeps & { portalAccess: PortalAccessStore; documentRequests: Pick<DocumentRequestStore, 'list'> };

/** GET /portal: the signed-in client's portal, or the sign-in form (dropping a cookie that names no session). */
export const showPortal = async (deps: PortalPageDeps, event: HttpEvent): Promise<Reply> => {
  try {
    const session = await portalSessionOf(deps, event);
    const view = session && (await viewPortal(deps, session.user));
    if (session && view) {
      // Read consistently: a page reloaded after an upload shows what the bucket's events have decided so far.
      const checklists = await Promise.all(view.households.map((access) => deps.documentRequests.list(access.firmId, access.householdId, true)));
      return portalPageReply(view, checklists, session.csrfToken);
    }
    const stale = event.cookies?.some((cookie) => cookie.includes(`${portalSessionCookie}=`));
    return signInFormReply(200, undefined, stale ? [signedOutCookie()] : undefined);
  } catch (error) {
    return failurePage(error);
  }
};

const formType = /^application\/x-www-form-urlencoded\s*(?:;.*)?$/i;

const acceptedAnswer = {
  message: 'If this email has access to a client portal, a sign-in link is on its way. It works once, for 15 minutes.',
};

/**
 * POST /portal/sign-in, as JSON (202 and always the same body) or as the sign-in page's form (the "check your email"
 * page). A body that cannot be read at all is refused as any request's (400 invalid_json, 415, 413), before anything
 * is looked up, so that answer too says nothing about the email.
 */
export const requestSignIn = async (deps: SignInRequestDeps, event: HttpEvent): Promise<Reply> => {
  if (!formType.test(event.headers['content-type']?.trim() ?? '')) {
    const { email } = parseJsonBody(event, signInRequestBody);
    await requestPortalSignIn(deps, email, sourceOf(event));
    return { status: 202, body: acceptedAnswer };
  }
  let email: string;
  try {
    ({ email } = parseFormBody(event, signInRequestBody));
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return signInFormReply(error.status, 'Please enter your email address.');
    throw error;
  }
  await requestPortalSignIn(deps, email, sourceOf(event));
  return checkEmailReply();
};

/** GET and HEAD of an emailed sign-in link: its page, with the button; nothing is used. */
export const showSignInLink = async (deps: SignInLinkDeps, event: HttpEvent): Promise<Reply> => {
  try {
    await openSignInLink(deps, tokenOf(event), sourceOf(event));
    return signInLinkReply(tokenOf(event));
  } catch (error) {
    return failurePage(error);
  }
};

/** The link page's button: uses the link once and signs in, then on to the portal (Post/Redirect/Get). */
export const useSignInLink = async (deps: SignInLinkDeps & PortalSessionDeps, event: HttpEvent): Promise<Reply> => {
  if (!fromPortalPage(deps, event)) return refusedPostReply('This sign-in did not come from the portal’s own page. Open the link from your email again.');
  try {
    return signedInWith(seeOther(portalPaths.portal), await signInWithLink(deps, tokenOf(event), sourceOf(event)));
  } catch (error) {
    return failurePage(error);
  }
};

/** POST /portal/sign-out: the session is deleted, so its cookie names nothing wherever it was copied. */
export const signOut = async (deps: PortalSessionDeps, event: HttpEvent): Promise<Reply> => {
  try {
    const session = await portalSessionOf(deps, event);
    if (!session) return { ...seeOther(portalPaths.portal), cookies: [signedOutCookie()] };
    if (!fromPortalPage(deps, event)) return refusedPostReply('This sign-out did not come from your portal page.');
    if (!csrfTokenMatches(session, postedToken(event))) {
      return refusedPostReply('This form has expired or did not come from your session. Reload your portal page and try again.');
    }
    await endSession(deps.portalSessions, cookieValue(event.cookies, portalSessionCookie)!);
    return { ...seeOther(portalPaths.portal), cookies: [signedOutCookie()] };
  } catch (error) {
    return failurePage(error);
  }
};
