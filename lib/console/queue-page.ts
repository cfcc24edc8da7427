// The ops work list: oldest first, with each ticket's age, firm, client and assignee, filters, and claim/release.
import type { Page } from '../domain/ports.ts';
import type { Reply } from '../http/response.ts';
import { alert, consoleReply, hiddenCsrf, text, type SignedIn } from './console-document.ts';
import type { DeskTicket, QueueFilterName, QueueFilters } from './desk.ts';
import { consolePaths } from './paths.ts';
import { ageOf, assigneeLabel, reasonLabels, statusLabels } from './ticket-labels.ts';

export interface QueueView {
  signedIn: SignedIn;
  filters: QueueFilters;
  /** The filters the desk offers (DeskView.filters). */
  filterNames: readonly QueueFilterName[];
  canClaim: boolean;
  page: Page<DeskTicket>;
  now: Date;
  /** This page's own location, query included: where claim and release come back to. */
  self: string;
  notice?: string | undefined;
}

const option = (value: string, label: string, selected: string | undefined) =>
  `<option value="${text(value)}"${selected === value ? ' selected' : ''}>${text(label)}</option>`;

const select = (name: string, label: string, options: [string, string][], selected: string | undefined) =>
  [
    '<div>',
    `<label for="filter-${name}">${text(label)}</label>`,
    `<select id="filter-${name}" name="${name}">`,
    ...options.map(([value, shown]) => option(value, shown, selected)),
    '</select>',
    '</div>',
  ].join('\n');

const filterFields: Record<QueueFilterName, (filters: QueueFilters) => string> = {
  status: (filters) =>
    select('status', 'Status', [...Object.entries(statusLabels), ['all', 'Any status']] as [string, string][], filters.status ?? 'all'),
  firmId: (filters) =>
    [
      '<div>',
      '<label for="filter-firmId">Firm id</label>',
      `<input id="filter-firmId" name="firmId" type="text" maxlength="64" value="${text(filters.firmId ?? '')}">`,
      '</div>',
    ].join('\n'),
  reason: (filters) => select('reason', 'Reason', [['', 'Any reason'], ...Object.entries(reasonLabels)] as [string, string][], filters.reason ?? ''),
  assignee: (filters) =>
    select('assignee', 'Assignee', [['', 'Anyone'], ['me', 'Me'], ['none', 'Unassigned']], filters.assignee ?? ''),
};

const filterForm = (view: QueueView) =>
  [
    `<form class="filters" method="get" action="${consolePaths.queue}" aria-label="Filters">`,
    ...view.filterNames.map((name) => filterFields[name](view.filters)),
    '<button type="submit">Filter</button>',
    '</form>',
  ].join('\n');

/** A claim or release button: a post with the session's token, coming back to this page. */
export const claimButton = (ticket: DeskTicket, action: 'claim' | 'release', signedIn: SignedIn, back: string): string =>
  [
    `<form method="post" action="${text(consolePaths.action(ticket.ticketId, action))}">`,
    hiddenCsrf(signedIn.csrfToken),
    `<input type="hidden" name="back" value="${text(back)}">`,
    `<button type="submit" class="secondary" aria-label="${action === 'claim' ? 'Claim' : 'Release'} ticket of ${text(`${ticket.client.firstName} ${ticket.client.lastName}`)}">${action === 'claim' ? 'Claim' : 'Release'}</button>`,
    '</form>',
  ].join('');

const claimCell = (view: QueueView, ticket: DeskTicket): string => {
  if (ticket.status !== 'open') return '';
  if (ticket.assignee === undefined) return claimButton(ticket, 'claim', view.signedIn, view.self);
  return ticket.assignee === view.signedIn.sub ? claimButton(ticket, 'release', view.signedIn, view.self) : '';
};

const row = (view: QueueView, ticket: DeskTicket): string =>
  [
    `<tr data-ticket="${text(ticket.ticketId)}">`,
    `<td><time datetime="${text(ticket.createdAt)}">${text(ageOf(ticket.createdAt, view.now))}</time></td>`,
    `<td><a href="${text(consolePaths.ticket(ticket.ticketId))}">${text(`${ticket.client.firstName} ${ticket.client.lastName}`)}</a><br><span class="hint">${text(ticket.client.email)}</span></td>`,
    `<td>${text(ticket.firmName ?? ticket.firmId)}${ticket.firmName ? `<br><span class="hint">${text(ticket.firmId)}</span>` : ''}</td>`,
    `<td>${text(reasonLabels[ticket.reason])}</td>`,
    `<td><span class="status">${text(statusLabels[ticket.status])}</span></td>`,
    `<td>${text(assigneeLabel(ticket.assignee, view.signedIn.sub))}</td>`,
    ...(view.canClaim ? [`<td>${claimCell(view, ticket)}</td>`] : []),
    '</tr>',
  ].join('');

const nextLink = (view: QueueView) => {
  if (view.page.nextCursor === null) return [];
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(view.filters)) if (value !== undefined) query.set(name, value);
  query.set('cursor', view.page.nextCursor);
  return [`<p><a href="${text(`${consolePaths.queue}?${query}`)}">Older tickets</a></p>`];
};

export const queueReply = (status: number, view: QueueView, problem?: string): Reply =>
  consoleReply(status, {
    title: 'Verification queue',
    signedIn: view.signedIn,
    body: [
      ...alert(problem),
      ...alert(view.notice, 'notice'),
      filterForm(view),
      ...(view.page.items.length === 0
        ? ['<p>No tickets match these filters.</p>']
        : [
            '<table>',
            `<thead><tr><th scope="col">Age</th><th scope="col">Client</th><th scope="col">Firm</th><th scope="col">Reason</th><th scope="col">Status</th><th scope="col">Assignee</th>${view.canClaim ? '<th scope="col">Claim</th>' : ''}</tr></thead>`,
            '<tbody>',
            ...view.page.items.map((ticket) => row(view, ticket)),
            '</tbody>',
            '</table>',
          ]),
      ...nextLink(view),
    ],
  });
