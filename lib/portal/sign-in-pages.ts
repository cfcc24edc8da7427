// The pages of signing in to the client portal: asking for a link, "check your email", the link's own page (GET shows
// a button, only its POST signs in: mail scanners open links), and the one page for every link that no longer works.
import type { Reply } from '../http/response.ts';
import { pageReply, paragraph } from '../pages/page-document.ts';
import { escapeHtml } from '../email/escape.ts';
import { portalPaths } from './paths.ts';

const alert = (message: string | undefined) => (message ? [`<p id="notice" class="error" role="alert">${escapeHtml(message)}</p>`] : []);

const requestForm = (message: string | undefined): string =>
  [
    `<form method="post" action="${portalPaths.signIn}">`,
    '<label for="email">Email address</label>',
    `<input id="email" name="email" type="email" autocomplete="email" spellcheck="false" required maxlength="254" aria-describedby="email-hint"${message ? ' aria-invalid="true"' : ''}>`,
    '<p id="email-hint" class="hint">The address your advisor invited. We’ll email it a link that signs you in.</p>',
    ...alert(message),
    '<button type="submit">Email me a sign-in link</button>',
    '</form>',
  ].join('\n');

/** A signed-out browser at /portal, or a request form it could not read. */
export const signInFormReply = (status = 200, message?: string, cookies?: string[]): Reply => ({
  ...pageReply(status, {
    title: 'Sign in to your client portal',
    body: [paragraph('Enter your email address and we’ll send you a link to sign in. No password needed.'), requestForm(message)],
  }),
  ...(cookies ? { cookies } : {}),
});

/** The same page whether or not the address has portal access, and whether or not a link went out. */
export const checkEmailReply = (): Reply =>
  pageReply(202, {
    title: 'Check your email',
    body: [
      paragraph('If that address has access to a client portal, we’ve sent it a link to sign in. The link works once, for 15 minutes.'),
      paragraph('Nothing arrived? Check your spam folder, or ask for a new link in a few minutes.'),
      `<p><a href="${portalPaths.portal}">Back to sign in</a></p>`,
    ],
  });

/** GET of an emailed link: shows the button and uses nothing. */
export const signInLinkReply = (token: string): Reply =>
  pageReply(200, {
    title: 'Sign in to your client portal',
    body: [
      paragraph('Press the button to sign in. This link works once.'),
      `<form method="post" action="${escapeHtml(portalPaths.signInLink(token))}">`,
      '<button type="submit">Sign in</button>',
      '</form>',
    ],
  });

/** Unknown, used, expired and malformed links all get exactly this page, so none can be told apart. */
export const deadSignInLinkReply = (): Reply =>
  pageReply(404, {
    title: 'This link is no longer valid',
    body: [
      paragraph('Sign-in links work once, for 15 minutes.'),
      `<p><a href="${portalPaths.portal}">Ask for a new sign-in link</a></p>`,
    ],
  });

/** A post the portal did not ask for (another site's form, no token): nothing changed. */
export const refusedPostReply = (message: string): Reply =>
  pageReply(403, {
    title: 'This form was refused',
    body: [...alert(message), `<p><a href="${portalPaths.portal}">Back to your portal</a></p>`],
  });
