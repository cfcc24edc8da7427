import { AppError } from '../domain/errors.ts';
import type { FormOutcome } from '../http/middlewares/http-request.ts';
import type { Reply } from '../http/response.ts';
import { logger } from '../logger.ts';
import { acceptInvitation, type AcceptDeps } from '../use-cases/accept-invitation.ts';
import type { LinkDeps } from '../use-cases/open-invitation-link.ts';
import { verifyIdentity, type VerifyDeps } from '../use-cases/verify-identity.ts';
import { loadInvitePage } from './invite-page-state.ts';
import { deadLinkReply, invitePageReply, pagePath, throttledReply, unavailableReply, type Notice } from './invite-views.ts';
import { signedInWith } from '../portal/portal-session.ts';
import { seeOther } from './page-document.ts';

// The page is a second face of the JSON client routes: the same use cases decide, only the answer is HTML.

/** Failures that replace the whole page: dead link, throttled source, our own outage. */
const failurePage = (error: unknown): Reply => {
  if (error instanceof AppError) {
    if (error.code === 'not_found') return deadLinkReply();
    if (error.code === 'rate_limited') return throttledReply();
    if (error.code === 'service_unavailable') return unavailableReply(503);
  }
  logger.error('invite page failed', {
    error: error instanceof Error ? { name: error.name, code: (error as AppError).code, stack: error.stack } : 'unknown',
  });
  return unavailableReply(500);
};

/** The page for where the invitation stands now, with `notice` on top; dead or throttled links get their own page. */
const currentPage = async (deps: LinkDeps, token: string, source: string, status: number, notice?: Notice): Promise<Reply> => {
  try {
    return invitePageReply(status, await loadInvitePage(deps, token, source), notice);
  } catch (error) {
    return failurePage(error);
  }
};

/** GET and HEAD: read-only. Every live state is 200; only a dead link (404) or a throttled source (429) is not. */
export const showInvitePage = (deps: LinkDeps, token: string, source: string): Promise<Reply> =>
  currentPage(deps, token, source, 200);

export type InviteAction = 'verify' | 'accept';

const formProblem = (action: InviteAction, error: AppError): Notice =>
  action === 'verify' && error.code === 'validation_error'
    ? { message: 'Please enter the number of one of your accounts: 6 to 34 letters or digits.' }
    : { message: 'We couldn’t read that form. Please use the form on this page.' };

const attemptsLeftIn = (error: AppError): number | undefined => {
  const left = error.details[0]?.attemptsLeft;
  return typeof left === 'number' ? left : undefined;
};

/** Maps what the use case refused to the page the client should see next. */
const refusal = (deps: LinkDeps, token: string, source: string, error: unknown): Promise<Reply> => {
  if (!(error instanceof AppError)) return Promise.resolve(failurePage(error));
  switch (error.code) {
    case 'invalid_account_number': {
      const left = attemptsLeftIn(error);
      const tries = left === undefined ? '' : ` You have ${left} ${left === 1 ? 'try' : 'tries'} left.`;
      return currentPage(deps, token, source, 422, { message: `That account number doesn’t match our records.${tries}` });
    }
    case 'locked':
      return currentPage(deps, token, source, 423);
    // The invitation moved on (verified elsewhere, accepted, declined): show where it stands now.
    case 'conflict':
      return currentPage(deps, token, source, 409, { message: error.message });
    default:
      return Promise.resolve(failurePage(error));
  }
};

/**
 * A form post from the page, its form already read by the form middleware (before any use case runs). Success
 * answers 303 to the page (Post/Redirect/Get), an acceptance with the portal session it started; a refused number
 * re-renders the form with attempts left (422); an unreadable form re-renders the page with a 4xx and writes nothing.
 */
export const submitInviteForm = async (
  deps: VerifyDeps & Pick<AcceptDeps, 'portalSessions'>,
  action: InviteAction,
  token: string,
  form: FormOutcome | undefined,
  source: string,
): Promise<Reply> => {
  if (!form?.ok) {
    if (form) return currentPage(deps, token, source, form.problem.status, formProblem(action, form.problem));
    return failurePage(new Error('the form middleware did not run'));
  }
  try {
    if (action === 'accept') return signedInWith(seeOther(pagePath(token)), (await acceptInvitation(deps, token, source)).sessionId);
    await verifyIdentity(deps, token, (form.data as { accountNumber: string }).accountNumber, source);
    return seeOther(pagePath(token));
  } catch (error) {
    return refusal(deps, token, source, error);
  }
};
