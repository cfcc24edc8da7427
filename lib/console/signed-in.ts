// What every console request starts with: the session its cookie names, or the way to sign in; and what
// becomes of a failure, so no page ever shows a stack or a half-rendered answer.
import { AppError } from '../domain/errors.ts';
import type { HttpEvent } from '../http/middlewares/http-request.ts';
import type { Reply } from '../http/response.ts';
import { logger } from '../logger.ts';
import { alert, consoleReply, redirect, type SignedIn } from './console-document.ts';
import { cookieValue, sessionCookie } from './cookies.ts';
import { consolePaths, safeConsoleLocation } from './paths.ts';
import { resumeSession, type ConsoleSessionStore, type StoredSession } from './session.ts';
import { consoleUnavailableReply } from './sign-in-pages.ts';

export interface SessionDeps {
  sessions: ConsoleSessionStore;
  now: () => Date;
  /** Where a signed-out browser goes (config.consoleSignInPath). */
  signInPath: () => string;
}

export const sessionOf = (deps: SessionDeps, event: HttpEvent): Promise<StoredSession | undefined> =>
  resumeSession(deps.sessions, cookieValue(event.cookies, sessionCookie), deps.now());

export const signedInAs = (session: StoredSession): SignedIn => ({
  email: session.user.email,
  sub: session.user.sub,
  csrfToken: session.csrfToken,
});

/** This request's console page, to come back to after signing in. */
export const hereOf = (event: HttpEvent): string =>
  safeConsoleLocation(event.rawQueryString ? `${event.rawPath}?${event.rawQueryString}` : event.rawPath);

/** A signed-out browser is sent to sign in, and brought back here afterwards; it is shown nothing else. */
export const toSignIn = (deps: SessionDeps, next: string): Reply =>
  redirect(`${deps.signInPath()}?${new URLSearchParams({ next: safeConsoleLocation(next) })}`);

/** Failures no page can explain: our store or a service is down (503), or a bug (500, logged). */
export const unexpected = (error: unknown): Reply => {
  if (error instanceof AppError && error.code === 'service_unavailable') return consoleUnavailableReply(503);
  logger.error('ops console request failed', {
    error: error instanceof Error ? { name: error.name, code: (error as AppError).code, stack: error.stack } : 'unknown',
  });
  return consoleUnavailableReply(500);
};

/** A post the console did not ask for: refused whole, before any field of it is used. */
export const refusedPost = (session: StoredSession | undefined, message: string): Reply =>
  consoleReply(403, {
    title: 'This form was refused',
    signedIn: session && signedInAs(session),
    body: [...alert(message), `<p><a href="${consolePaths.queue}">Back to the queue</a></p>`],
  });
