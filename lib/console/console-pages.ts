// GET /ops/console and GET /ops/console/tickets/{ticketId}: read-only, behind a session.
import { AppError } from '../domain/errors.ts';
import type { HttpEvent } from '../http/middlewares/http-request.ts';
import type { Reply } from '../http/response.ts';
import { ticketParams } from '../schemas/invitations.ts';
import { check } from '../schemas/validate.ts';
import { alert, consoleReply } from './console-document.ts';
import type { DeskView, QueueFilters } from './desk.ts';
import { listQueueQuery, present } from './forms.ts';
import { queueReply } from './queue-page.ts';
import type { StoredSession } from './session.ts';
import { hereOf, sessionOf, signedInAs, toSignIn, unexpected, type SessionDeps } from './signed-in.ts';
import { ticketReply } from './ticket-page.ts';

export interface ConsolePageDeps extends SessionDeps {
  desk: DeskView;
}

/** One page of the queue; the console reads fewer at a time than the API allows, so a page stays scannable. */
const queuePageSize = 50;

/** The page shown with why the asked one could not be: it says so even if the list cannot be read again. */
const firstPage = (deps: ConsolePageDeps, session: StoredSession, filters: QueueFilters) =>
  deps.desk.queue(session.user, filters, { limit: queuePageSize }).catch(() => ({ items: [], nextCursor: null }));

const showQueue = async (deps: ConsolePageDeps, session: StoredSession, event: HttpEvent): Promise<Reply> => {
  const base = { signedIn: signedInAs(session), self: hereOf(event), paged: false };
  const checked = check(listQueueQuery, event.queryStringParameters ?? {});
  if (!checked.success) {
    const filters: QueueFilters = { status: 'open' };
    return queueReply(400, { ...base, filters, page: await firstPage(deps, session, filters) }, 'These filters are not valid; showing the open work instead.');
  }
  const { status, firmId, reason, assignee, cursor } = checked.data;
  const filters: QueueFilters = { status: present(status) ?? 'open', firmId: present(firmId), reason: present(reason), assignee: present(assignee) };
  try {
    const page = await deps.desk.queue(session.user, filters, { limit: queuePageSize, cursor: present(cursor) });
    return queueReply(200, { ...base, filters, page, paged: present(cursor) !== undefined });
  } catch (error) {
    // The filters were checked: what the list can still refuse is a cursor it did not sign for them (stale, forged).
    if (!(error instanceof AppError) || error.code !== 'validation_error') return unexpected(error);
    const page = await firstPage(deps, session, filters);
    return queueReply(400, { ...base, filters, page }, 'That page of the queue is no longer available; showing the first page.');
  }
};

const doneNotices: Record<string, string> = {
  approved: 'Approved. The client is sent a fresh link to continue.',
  rejected: 'Rejected. The inviting advisor is told by email.',
};

const showTicket = async (deps: ConsolePageDeps, session: StoredSession, ticketId: string, done: string | undefined): Promise<Reply> => {
  try {
    if (!check(ticketParams, { ticketId }).success) throw new AppError('not_found', 'ticket not found');
    const ticket = await deps.desk.ticket(session.user, ticketId);
    return ticketReply(200, {
      signedIn: signedInAs(session),
      ticket,
      notice: done === undefined ? undefined : doneNotices[done],
    });
  } catch (error) {
    if (error instanceof AppError && (error.code === 'not_found' || error.code === 'validation_error')) {
      return consoleReply(404, { title: 'No such ticket', signedIn: signedInAs(session), body: alert('There is no ticket with this id.') });
    }
    return unexpected(error);
  }
};

/** The page a GET asks for; a signed-out browser is sent to sign in and sees no ticket data. */
export const showConsolePage = async (deps: ConsolePageDeps, event: HttpEvent): Promise<Reply> => {
  let session: StoredSession | undefined;
  try {
    session = await sessionOf(deps, event);
  } catch (error) {
    return unexpected(error);
  }
  if (!session) return toSignIn(deps, hereOf(event));
  const ticketId = event.pathParameters?.ticketId;
  if (ticketId === undefined) return showQueue(deps, session, event);
  return showTicket(deps, session, ticketId, event.queryStringParameters?.done);
};
