// The ops work list across every firm: oldest first, each ticket with its age, client, household, firm and assignee;
// the filters the API has, claim and release, and paging by the list's own signed cursor.
import type { Page } from '../domain/ports.ts';
import type { Reply } from '../http/response.ts';
import { alert, consoleReply, hiddenCsrf, text, type SignedIn } from './console-document.ts';
import type { DeskTicket, QueueFilters } from './desk.ts';
import { consolePaths } from './paths.ts';
import { ageOf, assigneeLabel, reasonLabels, statusLabels } from './ticket-labels.ts';

export interface QueueView {
  signedIn: SignedIn;
  filters: QueueFilters;
  page: Page<DeskTicket>;
  /** Whether this is a later page (a cursor was followed): then the way back to the first is offered. */
  paged: boolean;
  /** This page's own location, query included: where claim and release come back to. */
  self: string;
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

const filterForm = ({ status, firmId, reason, assignee }: QueueFilters) =>
  [
    `<form class="filters" method="get" action="${consolePaths.queue}" aria-label="Filters">`,
    select('status', 'Status', Object.entries(statusLabels), status),
    '<div>',
    '<label for="filter-firmId">Firm id</label>',
    `<input id="filter-firmId" name="firmId" type="text" maxlength="64" placeholder="Every firm" value="${text(firmId ?? '')}">`,
    '</div>',
    select('reason', 'Reason', [['', 'Any reason'], ...Object.entries(reasonLabels)], reason),
    select('assignee', 'Assignee', [['', 'Anyone'], ['me', 'Me'], ['none', 'Unassigned']], assignee),
    '<button type="submit">Filter</button>',
    '</form>',
  ].join('\n');

/** The queue's location with these filters (and a page of them). */
const queueLocation = (filters: QueueFilters, cursor?: string): string => {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value !== undefined) query.set(name, value);
  if (cursor !== undefined) query.set('cursor', cursor);
  return `${consolePaths.queue}?${query}`;
};

const clientName = (ticket: DeskTicket) => `${ticket.client.firstName} ${ticket.client.lastName}`;

/** A claim or release button: a post with the session's token, coming back to `back`. */
export const claimButton = (ticket: DeskTicket, action: 'claim' | 'release', signedIn: SignedIn, back: string): string => {
  const label = action === 'claim' ? 'Claim' : 'Release';
  return [
    `<form method="post" action="${text(consolePaths.action(ticket.ticketId, action))}">`,
    hiddenCsrf(signedIn.csrfToken),
    `<input type="hidden" name="back" value="${text(back)}">`,
    `<button type="submit" class="secondary" aria-label="${label} the ticket of ${text(clientName(ticket))}">${label}</button>`,
    '</form>',
  ].join('');
};

/** Claim on an open ticket nobody holds, release on one's own; someone else's ticket offers neither. */
export const claimControl = (ticket: DeskTicket, signedIn: SignedIn, back: string): string | undefined => {
  if (ticket.status !== 'open') return undefined;
  if (ticket.assignee === undefined) return claimButton(ticket, 'claim', signedIn, back);
  return ticket.assignee === signedIn.sub ? claimButton(ticket, 'release', signedIn, back) : undefined;
};

const named = (name: string | undefined, id: string) => (name ? `${text(name)}<br><span class="hint">${text(id)}</span>` : text(id));

const row = (view: QueueView, ticket: DeskTicket): string =>
  [
    `<tr data-ticket="${text(ticket.ticketId)}">`,
    `<td><time datetime="${text(ticket.createdAt)}">${text(ageOf(ticket.ageSeconds))}</time></td>`,
    `<td><a href="${text(consolePaths.ticket(ticket.ticketId))}">${text(clientName(ticket))}</a><br><span class="hint">${text(ticket.client.email)}</span></td>`,
    `<td>${text(ticket.householdName)}</td>`,
    `<td>${named(ticket.firmName, ticket.firmId)}</td>`,
    `<td>${text(reasonLabels[ticket.reason])}</td>`,
    `<td><span class="status">${text(statusLabels[ticket.status])}</span></td>`,
    `<td>${text(assigneeLabel(ticket.assignee, view.signedIn.sub))}</td>`,
    `<td>${claimControl(ticket, view.signedIn, view.self) ?? ''}</td>`,
    '</tr>',
  ].join('');

const columns = ['Age', 'Client', 'Household', 'Firm', 'Reason', 'Status', 'Assignee', 'Claim'];

/** The list is oldest first, so a later page holds younger tickets; the way back is the first page. */
const pageLinks = (view: QueueView): string[] => {
  const links = [
    ...(view.paged ? [`<a href="${text(queueLocation(view.filters))}">First page</a>`] : []),
    ...(view.page.nextCursor === null ? [] : [`<a href="${text(queueLocation(view.filters, view.page.nextCursor))}">Next page</a>`]),
  ];
  return links.length === 0 ? [] : [`<nav class="pages" aria-label="Pages">${links.join(' ')}</nav>`];
};

export const queueReply = (status: number, view: QueueView, problem?: string): Reply =>
  consoleReply(status, {
    title: 'Verification queue',
    signedIn: view.signedIn,
    body: [
      ...alert(problem),
      filterForm(view.filters),
      ...(view.page.items.length === 0
        ? [view.page.nextCursor === null ? '<p>No tickets match these filters.</p>' : '<p>None on this page; the next page may hold more.</p>']
        : [
            '<table>',
            `<thead><tr>${columns.map((column) => `<th scope="col">${column}</th>`).join('')}</tr></thead>`,
            '<tbody>',
            ...view.page.items.map((ticket) => row(view, ticket)),
            '</tbody>',
            '</table>',
          ]),
      ...pageLinks(view),
    ],
  });
