// The console's ticket forms: claim, release, approve, reject. Each post must carry a live session, come from the
// console's own origin and carry the session's CSRF token; only then does the desk (the use cases) run. Success is
// 303 back to a page (Post/Redirect/Get); a refusal re-renders the ticket with why, and changes nothing.
import { AppError } from '../domain/errors.ts';
import type { FormOutcome, HttpEvent } from '../http/middlewares/http-request.ts';
import type { Reply } from '../http/response.ts';
import { ticketParams, type Evidence, type EvidenceMethod } from '../schemas/invitations.ts';
import { check } from '../schemas/validate.ts';
import { alert, consoleReply, redirect } from './console-document.ts';
import type { ConsolePageDeps } from './console-pages.ts';
import type { DeskActions } from './desk.ts';
import { present } from './forms.ts';
import { consolePaths, safeConsoleLocation, type TicketAction } from './paths.ts';
import { fromOwnOrigin, originOf, postedToken } from '../sessions/same-origin.ts';
import { csrfTokenMatches, type StoredSession } from './session.ts';
import { refusedPost, sessionOf, signedInAs, toSignIn, unexpected } from './signed-in.ts';
import { ticketReply, type Draft } from './ticket-page.ts';

export interface ConsoleActionDeps extends ConsolePageDeps {
  actions: DeskActions;
  portalUrl: () => string;
}

type Fields = { csrf: string; back?: string; method?: EvidenceMethod | ''; reference?: string; note?: string; reason?: string };

const evidenceOf = (fields: Fields): Evidence | undefined => {
  const method = present(fields.method);
  return method === undefined ? undefined : { method, reference: present(fields.reference) };
};

/** Runs the action through the desk; approve needs evidence, which the form's schema already required. */
const perform = async (desk: DeskActions, session: StoredSession, ticketId: string, action: TicketAction, fields: Fields): Promise<string> => {
  const here = consolePaths.ticket(ticketId);
  switch (action) {
    case 'claim':
    case 'release':
      await desk[action](session.user, ticketId);
      return safeConsoleLocation(fields.back ?? here);
    case 'approve':
      await desk.approve(session.user, ticketId, { note: present(fields.note), evidence: evidenceOf(fields)! });
      return `${here}?done=approved`;
    case 'reject':
      await desk.reject(session.user, ticketId, { reason: fields.reason!, evidence: evidenceOf(fields) });
      return `${here}?done=rejected`;
  }
};

/** The ticket again, with why the form was not taken; what was typed into a decision form is kept. */
const refusedOnTicket = async (deps: ConsoleActionDeps, session: StoredSession, ticketId: string, action: TicketAction, status: number, problem: string, draft?: Draft): Promise<Reply> => {
  try {
    const ticket = await deps.desk.ticket(session.user, ticketId);
    const form = action === 'approve' || action === 'reject' ? action : undefined;
    return ticketReply(status, { signedIn: signedInAs(session), ticket, draft: form && draft ? { form, values: draft } : undefined }, problem);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') {
      return consoleReply(404, { title: 'No such ticket', signedIn: signedInAs(session), body: alert('There is no ticket with this id.') });
    }
    return unexpected(error);
  }
};

const unreadableForm = (action: TicketAction, problem: AppError): string => {
  if (problem.code !== 'validation_error') return 'That form could not be read. Please use the forms on this page.';
  const fields = new Set(problem.details.map((detail) => detail.path));
  if (action === 'approve' && fields.has('form.method')) return 'Choose how you verified the client before approving.';
  if (action === 'reject' && fields.has('form.reason')) return 'Give a reason for rejecting; the advisor is told it.';
  return 'Some fields are not valid (a reference is at most 200 characters, a note or reason at most 1000).';
};

export const submitConsoleAction = async (deps: ConsoleActionDeps, event: HttpEvent, action: TicketAction, form: FormOutcome | undefined): Promise<Reply> => {
  const ticketId = event.pathParameters?.ticketId ?? '';
  let session: StoredSession | undefined;
  try {
    session = await sessionOf(deps, event);
  } catch (error) {
    return unexpected(error);
  }
  if (!check(ticketParams, { ticketId }).success) return consoleReply(404, { title: 'No such ticket', body: alert('There is no ticket with this id.') });
  if (!session) return toSignIn(deps, consolePaths.ticket(ticketId));
  if (!fromOwnOrigin(event.headers, originOf(deps.portalUrl()))) return refusedPost(session, 'This form did not come from the ops console, so nothing was changed.');
  if (!csrfTokenMatches(session, postedToken(event))) {
    return refusedPost(session, 'This form has expired or did not come from your session, so nothing was changed. Reload the page and try again.');
  }
  if (!form) return unexpected(new Error('the form middleware did not run'));
  // A form of this session with a mistake in it: nothing runs, and the ticket is shown again with what to fix.
  if (!form.ok) return refusedOnTicket(deps, session, ticketId, action, form.problem.status, unreadableForm(action, form.problem));
  const fields = form.data as Fields;
  try {
    return redirect(await perform(deps.actions, session, ticketId, action, fields));
  } catch (error) {
    if (!(error instanceof AppError) || error.code === 'service_unavailable' || error.code === 'internal_error') return unexpected(error);
    const { csrf: _token, back: _back, ...draft } = fields;
    return refusedOnTicket(deps, session, ticketId, action, error.status, error.message, draft);
  }
};
