// The pages around signing in: the hosted sign-in's start, the local development sign-in, and the refusals.
import type { Reply } from '../http/response.ts';
import { alert, consoleReply, text } from './console-document.ts';
import { consolePaths } from './paths.ts';

const nextField = (next: string) => `<input type="hidden" name="next" value="${text(next)}">`;

/** The start of a hosted sign-in: a post, so the pending sign-in it writes is never written by a GET. */
export const hostedSignInReply = (next: string, problem?: string, status = 200): Reply =>
  consoleReply(status, {
    title: 'Sign in to the ops console',
    body: [
      ...alert(problem),
      '<p>Sign in with your staff account. You need to be in the ops team’s group.</p>',
      `<form method="post" action="${consolePaths.signIn}">`,
      nextField(next),
      '<button type="submit">Sign in</button>',
      '</form>',
    ],
  });

/** Under `npm start` only (never deployed): signs in a development ops user without a password. */
export const localSignInReply = (next: string, problem?: string, status = 200): Reply =>
  consoleReply(status, {
    title: 'Local sign-in',
    body: [
      ...alert(problem),
      '<p>This page exists only on the local stack. It signs you in as a development member of the ops team, who works every firm’s tickets.</p>',
      `<form method="post" action="${consolePaths.localSignIn}">`,
      nextField(next),
      '<label for="email">Email</label>',
      '<input id="email" name="email" type="email" required maxlength="254" value="ops@advisor-platform.test">',
      '<p><button type="submit">Sign in</button></p>',
      '</form>',
    ],
  });

/** Hosted sign-in is not set up where this runs (the local stack): nothing to start. */
export const noHostedSignInReply = (): Reply =>
  consoleReply(404, {
    title: 'Hosted sign-in is not configured here',
    body: ['<p>This environment has no hosted sign-in. Use the sign-in page of the environment you are running.</p>'],
  });

/** A sign-in that could not be completed: expired, replayed, refused, or not a member of the ops group. */
export const signInFailedReply = (status: number, message: string, signInPath: string): Reply =>
  consoleReply(status, {
    title: 'You are not signed in',
    body: [...alert(message), `<p><a href="${text(signInPath)}">Sign in again</a></p>`],
  });

/** Our side failed: the session store or the sign-in service. Nothing about the request is shown. */
export const consoleUnavailableReply = (status: 500 | 503): Reply =>
  consoleReply(status, {
    title: 'Something went wrong on our side',
    body: ['<p>Please try again in a moment. If it keeps happening, check the console’s alarms and logs.</p>'],
  });
