import { escapeHtml } from '../email/escape.ts';
import type { Reply } from '../http/response.ts';
import type { InvitePage, InviteState } from './invite-page-state.ts';
import { portalPaths } from '../portal/paths.ts';
import { pageReply, paragraph, type PageContent } from './page-document.ts';

/** Something the client should read before the page itself: a refused number, an unreadable form. */
export interface Notice {
  message: string;
}

/** Where a page's forms post; the token is the credential, so it travels in the path as in the emailed link. */
export const pagePath = (token: string) => `/invite/${encodeURIComponent(token)}`;

const expiry = (iso: string) => new Date(iso).toUTCString().replace(/ \d\d:\d\d:\d\d GMT$/, '');

const firmOrAdvisor = (page: InvitePage) => page.firmName ?? 'your advisor';

const alert = (notice: Notice | undefined, id = 'notice') =>
  notice ? [`<p id="${id}" class="error" role="alert">${escapeHtml(notice.message)}</p>`] : [];

// No CSRF token: the unguessable link token in the action path is the credential, and there are no cookies for SameSite to guard.
const postForm = (page: InvitePage, action: 'verify' | 'accept', fields: string[], button: string) =>
  [
    `<form method="post" action="${escapeHtml(`${pagePath(page.token)}/${action}`)}">`,
    ...fields,
    `<button type="submit">${escapeHtml(button)}</button>`,
    '</form>',
  ].join('\n');

const verifyForm = (page: InvitePage, notice: Notice | undefined) => {
  const describedBy = notice ? 'account-hint account-error' : 'account-hint';
  return postForm(
    page,
    'verify',
    [
      '<label for="accountNumber">Account number</label>',
      `<input id="accountNumber" name="accountNumber" type="text" inputmode="numeric" autocomplete="off" spellcheck="false" required maxlength="64" aria-describedby="${describedBy}"${notice ? ' aria-invalid="true"' : ''}>`,
      '<p id="account-hint" class="hint">Any account you hold with us; spaces and dashes are fine.</p>',
      ...alert(notice, 'account-error'),
    ],
    'Confirm',
  );
};

const views: Record<InviteState, (page: InvitePage, notice: Notice | undefined) => PageContent> = {
  verify: (page, notice) => ({
    title: 'Confirm it’s you',
    firm: page.firmName,
    body: [
      paragraph(`Hello ${page.firstName},`),
      paragraph(`${firmOrAdvisor(page)} has invited you to the client portal. To confirm it’s you, enter the number of one of your accounts.`),
      verifyForm(page, notice),
      paragraph(`This link works until ${expiry(page.expiresAt)}.`, ' class="hint"'),
    ],
  }),
  being_verified: (page, notice) => ({
    title: 'We’re verifying your identity',
    firm: page.firmName,
    body: [
      ...alert(notice),
      paragraph(`Hello ${page.firstName},`),
      paragraph('Our operations team is confirming your identity for you. There is nothing you need to do right now.'),
      paragraph('We’ll send you an email with a new link as soon as you’re verified; use that link to finish setting up your portal access.'),
    ],
  }),
  locked: (page, notice) => ({
    title: 'We’ve asked our operations team to verify you',
    firm: page.firmName,
    body: [
      ...alert(notice),
      paragraph(`Hello ${page.firstName},`),
      paragraph('The account numbers entered did not match, so for your security we have stopped accepting them at this link.'),
      paragraph('We’ve asked our operations team to verify you instead. You’ll get an email with a new link once they have.'),
    ],
  }),
  rejected: (page, notice) => ({
    title: 'We couldn’t verify your identity',
    firm: page.firmName,
    body: [
      ...alert(notice),
      paragraph(`Hello ${page.firstName},`),
      paragraph(`Our operations team could not confirm your identity. Please contact ${firmOrAdvisor(page)}; they can help you continue.`),
    ],
  }),
  accept: (page, notice) => ({
    title: 'You’re verified',
    firm: page.firmName,
    body: [
      ...alert(notice),
      paragraph(`Thank you, ${page.firstName}. Your identity is confirmed.`),
      paragraph(`Accept the invitation to activate your client portal access with ${firmOrAdvisor(page)}.`),
      postForm(page, 'accept', [], 'Accept invitation'),
      paragraph(`This link works until ${expiry(page.expiresAt)}.`, ' class="hint"'),
    ],
  }),
  done: (page, notice) => ({
    title: 'Your portal access is active',
    firm: page.firmName,
    body: [
      ...alert(notice),
      paragraph(`Welcome, ${page.firstName}. Your client portal access is active.`),
      paragraph(`Your advisor at ${firmOrAdvisor(page)} will let you know which documents to share there.`),
      `<p><a href="${portalPaths.portal}">Go to your client portal</a></p>`,
    ],
  }),
};

export const invitePageReply = (status: number, page: InvitePage, notice?: Notice): Reply =>
  pageReply(status, views[page.state](page, notice));

/** Unknown, replaced, expired, revoked and malformed links all get exactly this page, so none can be told apart. */
export const deadLinkReply = (): Reply =>
  pageReply(404, {
    title: 'This link is no longer valid',
    body: [
      paragraph('Invitation links stop working when they expire or when a newer link is sent.'),
      paragraph('If you have a more recent email from us, please use the link in it. Otherwise, ask your advisor to send you a new invitation.'),
    ],
  });

export const throttledReply = (): Reply =>
  pageReply(
    429,
    {
      title: 'Please wait a few minutes',
      body: [paragraph('There have been too many attempts from your network. Please try again in a few minutes.')],
    },
    { 'retry-after': '60' },
  );

export const unavailableReply = (status: 500 | 503): Reply =>
  pageReply(status, {
    title: 'Something went wrong on our side',
    body: [paragraph('Please try this link again in a few minutes. If it keeps happening, let your advisor know.')],
  });
