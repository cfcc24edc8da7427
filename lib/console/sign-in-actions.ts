// Signing in through the hosted pages, and signing out. The start and the sign-out are posts (GET never writes);
// the callback is the one GET that does, as OAuth defines it, and it is bound to the browser that started.
import { AppError } from '../domain/errors.ts';
import type { FormOutcome, HttpEvent } from '../http/middlewares/http-request.ts';
import type { Reply } from '../http/response.ts';
import { redirect } from './console-document.ts';
import { clearCookie, cookieValue, sessionCookie, sessionCookieFor, setCookie, signInCookie, signInLifetimeSeconds } from './cookies.ts';
import { beginHostedSignIn, finishHostedSignIn, hostedSignOutLocation, type HostedSignIn, type SignInStore } from './hosted-sign-in.ts';
import { consolePaths, safeConsoleLocation } from './paths.ts';
import { fromOwnOrigin, originOf, postedToken } from '../sessions/same-origin.ts';
import { csrfTokenMatches, endSession, startSession, type StoredSession } from './session.ts';
import { refusedPost, sessionOf, unexpected, type SessionDeps } from './signed-in.ts';
import { hostedSignInReply, noHostedSignInReply, signInFailedReply } from './sign-in-pages.ts';

export interface SignInDeps extends SessionDeps {
  signIns: SignInStore;
  portalUrl: () => string;
  /** Undefined where no hosted sign-in is configured (the local stack). */
  hosted: () => HostedSignIn | undefined;
  /** For the code exchange; a test points it elsewhere. */
  fetch?: typeof fetch;
}

const nextOf = (value: string | undefined) => safeConsoleLocation(value);

/** GET /ops/console/sign-in: the page whose button starts a hosted sign-in; a signed-in browser goes straight on. */
export const showHostedSignIn = async (deps: SignInDeps, event: HttpEvent): Promise<Reply> => {
  if (!deps.hosted()) return noHostedSignInReply();
  const next = nextOf(event.queryStringParameters?.next);
  try {
    if (await sessionOf(deps, event)) return redirect(next);
  } catch (error) {
    return unexpected(error);
  }
  return hostedSignInReply(next);
};

/** POST /ops/console/sign-in: remembers the sign-in server-side and sends the browser to the hosted page. */
export const startHostedSignIn = async (deps: SignInDeps, event: HttpEvent, form: FormOutcome | undefined): Promise<Reply> => {
  const hosted = deps.hosted();
  if (!hosted) return noHostedSignInReply();
  if (!fromOwnOrigin(event.headers, originOf(deps.portalUrl()))) return refusedPost(undefined, 'This sign-in did not start from the ops console.');
  const next = nextOf(form?.ok ? (form.data as { next?: string }).next : undefined);
  try {
    const started = await beginHostedSignIn({ ...deps, hosted, portalUrl: deps.portalUrl() }, next);
    return redirect(started.location, [setCookie(signInCookie, started.id, signInLifetimeSeconds)]);
  } catch (error) {
    return unexpected(error);
  }
};

/** GET /ops/console/callback: the hosted page's answer becomes a console session, once. */
export const finishSignIn = async (deps: SignInDeps, event: HttpEvent): Promise<Reply> => {
  const hosted = deps.hosted();
  if (!hosted) return noHostedSignInReply();
  try {
    const signedIn = await finishHostedSignIn(
      { ...deps, hosted, portalUrl: deps.portalUrl() },
      cookieValue(event.cookies, signInCookie),
      event.queryStringParameters ?? {},
    );
    const { id } = await startSession(deps.sessions, signedIn.user, deps.now());
    return redirect(signedIn.next, [sessionCookieFor(id), clearCookie(signInCookie)]);
  } catch (error) {
    if (error instanceof AppError && (error.code === 'unauthorized' || error.code === 'forbidden')) {
      const reply = signInFailedReply(error.status, error.message, consolePaths.signIn);
      return { ...reply, cookies: [clearCookie(signInCookie)] };
    }
    return unexpected(error);
  }
};

/**
 * POST /ops/console/sign-out: the session is deleted (the cookie then names nothing, wherever it was copied),
 * and the hosted sign-in's own session is ended too, so the next sign-in asks for the password again.
 */
export const signOut = async (deps: SignInDeps, event: HttpEvent): Promise<Reply> => {
  let session: StoredSession | undefined;
  try {
    session = await sessionOf(deps, event);
  } catch (error) {
    return unexpected(error);
  }
  const hosted = deps.hosted();
  const afterwards = hosted ? hostedSignOutLocation(hosted, deps.portalUrl(), consolePaths.signIn) : deps.signInPath();
  if (!session) return redirect(afterwards, [clearCookie(sessionCookie)]);
  if (!fromOwnOrigin(event.headers, originOf(deps.portalUrl()))) return refusedPost(session, 'This sign-out did not come from the ops console.');
  if (!csrfTokenMatches(session, postedToken(event))) {
    return refusedPost(session, 'This form has expired or did not come from your session. Reload the page and try again.');
  }
  try {
    await endSession(deps.sessions, cookieValue(event.cookies, sessionCookie)!);
  } catch (error) {
    return unexpected(error);
  }
  return redirect(afterwards, [clearCookie(sessionCookie)]);
};
