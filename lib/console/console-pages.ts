// GET /ops/console and GET /ops/console/tickets/{ticketId}: read-only, behind a session.
import { AppError } from '../domain/errors.ts';
import type { HttpEvent } from '../http/middlewares/http-request.ts';
import { validationFailure } from '../http/request.ts';
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

/** The queue's filters from its query; only the desk's own filters are read, and the open work is the default. */
const filtersOf = (desk: DeskView, raw: Record<string, string | undefined>): QueueFilters & { cursor?: string | undefined } => {
  const checked = check(listQueueQuery, raw);
  if (!checked.success) throw validationFailure(checked.details, 'query');
  const { status = 'open', firmId, reason, assignee, cursor } = checked.data;
  const chosen: QueueFilters = { status: status === 'all' ? undefined : present(status), firmId: present(firmId), reason: present(reason), assignee: present(assignee) };
  const offered = Object.fromEntries(desk.filters.map((name) => [name, chosen[name]])) as QueueFilters;
  return { ...offered, cursor: present(cursor) };
};

const showQueue = async (deps: ConsolePageDeps, session: StoredSession, event: HttpEvent): Promise<Reply> => {
  const base = { signedIn: signedInAs(session), filterNames: deps.desk.filters, canClaim: deps.desk.claims, now: deps.now(), self: hereOf(event) };
  try {
    const { cursor, ...filters } = filtersOf(deps.desk, event.queryStringParameters ?? {});
    const page = await deps.desk.queue(session.user, filters, { limit: queuePageSize, cursor });
    return queueReply(200, { ...base, filters, page });
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'validation_error') return unexpected(error);
    const problem = error.details.some((detail) => detail.path?.endsWith('cursor'))
      ? 'That page of the queue is no longer available; showing the first page.'
      : 'These filters are not valid; showing the open work instead.';
    const page = await deps.desk.queue(session.user, { status: 'open' }, { limit: queuePageSize }).catch(() => ({ items: [], nextCursor: null }));
    return queueReply(400, { ...base, filters: { status: 'open' }, page }, problem);
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
      canClaim: deps.desk.claims,
      now: deps.now(),
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
