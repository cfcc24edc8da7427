// One ticket: who is waiting, for which household and firm, who asked, who holds it, what happened so far, and the
// decision forms (approve with evidence, reject with a reason) while it is open and not someone else's.
import type { Reply } from '../http/response.ts';
import { evidenceMethod } from '../schemas/invitations.ts';
import { alert, consoleReply, hiddenCsrf, text, type SignedIn } from './console-document.ts';
import type { DeskTicket } from './desk.ts';
import { consolePaths } from './paths.ts';
import { claimControl } from './queue-page.ts';
import { actionLabels, ageOf, describeEvidence, methodLabels, personLabel, reasonLabels, statusLabels, when } from './ticket-labels.ts';

/** What the person typed into a decision form, shown again when the decision was refused. */
export type Draft = Partial<Record<'method' | 'reference' | 'note' | 'reason', string>>;

export interface TicketPageView {
  signedIn: SignedIn;
  ticket: DeskTicket;
  notice?: string | undefined;
  draft?: { form: 'approve' | 'reject'; values: Draft } | undefined;
}

const entry = (term: string, value: string | undefined, detail?: string) =>
  value === undefined ? '' : `<dt>${text(term)}</dt><dd>${text(value)}${detail ? `<br><span class="hint">${text(detail)}</span>` : ''}</dd>`;

const waited = (seconds: number) => {
  const age = ageOf(seconds);
  return age === 'just now' ? age : `${age} ago`;
};

const assignment = (ticket: DeskTicket, me: string) => {
  if (ticket.status !== 'open') return undefined;
  if (ticket.assignee === undefined) return entry('Assignee', 'Unassigned', 'Claim it to work it; an unclaimed ticket may also be decided directly.');
  return entry('Assignee', personLabel(ticket.assignee, me), ticket.assignedAt && `claimed ${when(ticket.assignedAt)}`);
};

const facts = (view: TicketPageView) => {
  const { ticket } = view;
  const me = view.signedIn.sub;
  return [
    '<dl>',
    entry('Status', statusLabels[ticket.status]),
    assignment(ticket, me) ?? '',
    entry('Reason', reasonLabels[ticket.reason]),
    entry('Raised', when(ticket.createdAt), waited(ticket.ageSeconds)),
    entry('Client', `${ticket.client.firstName} ${ticket.client.lastName}`, ticket.client.email),
    entry('Household', ticket.householdName, ticket.householdId),
    entry('Firm', ticket.firmName ?? ticket.firmId, ticket.firmName ? ticket.firmId : undefined),
    entry('Inviting advisor', ticket.requestedBy),
    entry('Decided', ticket.decidedAt && when(ticket.decidedAt), ticket.decidedBy && `by ${personLabel(ticket.decidedBy, me)}`),
    entry('Evidence', ticket.evidence && describeEvidence(ticket.evidence)),
    entry(ticket.status === 'rejected' ? 'Reason given' : 'Note', ticket.note),
    '</dl>',
  ].join('');
};

const methodSelect = (id: string, required: boolean, selected: string | undefined) =>
  [
    `<select id="${id}" name="method"${required ? ' required' : ''}>`,
    `<option value=""${selected ? '' : ' selected'}>${required ? 'Choose how you verified' : 'None'}</option>`,
    ...evidenceMethod.options.map((method) => `<option value="${method}"${selected === method ? ' selected' : ''}>${text(methodLabels[method])}</option>`),
    '</select>',
  ].join('');

const field = (label: string, id: string, control: string, hint?: string) =>
  `<label for="${id}">${text(label)}</label>${control}${hint ? `<p class="hint">${text(hint)}</p>` : ''}`;

const reference = (id: string, value: string | undefined) =>
  `<input id="${id}" name="reference" type="text" maxlength="200" value="${text(value ?? '')}">`;

const decisionForms = (view: TicketPageView) => {
  const { ticket, signedIn, draft } = view;
  const approve = draft?.form === 'approve' ? draft.values : {};
  const reject = draft?.form === 'reject' ? draft.values : {};
  return [
    '<div class="decisions">',
    `<form method="post" action="${text(consolePaths.action(ticket.ticketId, 'approve'))}" aria-labelledby="approve-heading">`,
    '<h2 id="approve-heading">Approve</h2>',
    hiddenCsrf(signedIn.csrfToken),
    field('How you verified the client', 'approve-method', methodSelect('approve-method', true, approve.method)),
    field('Reference', 'approve-reference', reference('approve-reference', approve.reference), 'A call log id, a document number: whatever lets a colleague check it.'),
    field('Note', 'approve-note', `<textarea id="approve-note" name="note" maxlength="1000">${text(approve.note ?? '')}</textarea>`),
    '<p><button type="submit">Approve and send the client a new link</button></p>',
    '</form>',
    `<form method="post" action="${text(consolePaths.action(ticket.ticketId, 'reject'))}" aria-labelledby="reject-heading">`,
    '<h2 id="reject-heading">Reject</h2>',
    hiddenCsrf(signedIn.csrfToken),
    field('Reason', 'reject-reason', `<textarea id="reject-reason" name="reason" required maxlength="1000">${text(reject.reason ?? '')}</textarea>`, 'The advisor is told this reason by email.'),
    field('Evidence', 'reject-method', methodSelect('reject-method', false, reject.method)),
    field('Evidence reference', 'reject-reference', reference('reject-reference', reject.reference)),
    '<p><button type="submit" class="danger">Reject</button></p>',
    '</form>',
    '</div>',
  ];
};

type HistoryEvent = NonNullable<DeskTicket['history']>[number];

/** A decision is named by its outcome (one per ticket, so the ticket's status is that outcome). */
const whatHappened = (event: HistoryEvent, ticket: DeskTicket) =>
  event.action === 'decided' && (ticket.status === 'approved' || ticket.status === 'rejected') ? statusLabels[ticket.status] : actionLabels[event.action];

const history = (ticket: DeskTicket, me: string) =>
  ticket.history && ticket.history.length > 0
    ? [
        '<h2>History</h2>',
        '<table class="history"><thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Who</th></tr></thead><tbody>',
        ...ticket.history.map(
          (event) => `<tr><td>${text(when(event.at))}</td><td>${text(whatHappened(event, ticket))}</td><td>${text(personLabel(event.by, me))}</td></tr>`,
        ),
        '</tbody></table>',
      ]
    : ['<h2>History</h2>', '<p class="hint">No history was recorded for this ticket.</p>'];

/** Claim or release, and the decision forms: an open ticket is decided by its assignee, or by anyone while unclaimed. */
const work = (view: TicketPageView) => {
  const { ticket, signedIn } = view;
  if (ticket.status !== 'open') return [];
  if (ticket.assignee !== undefined && ticket.assignee !== signedIn.sub) {
    return [`<p class="hint">${text(ticket.assignee)} is working on this ticket; only they can decide it while it is claimed.</p>`];
  }
  return [`<p>${claimControl(ticket, signedIn, consolePaths.ticket(ticket.ticketId))}</p>`, ...decisionForms(view)];
};

export const ticketReply = (status: number, view: TicketPageView, problem?: string): Reply =>
  consoleReply(status, {
    title: `Verify ${view.ticket.client.firstName} ${view.ticket.client.lastName}`,
    signedIn: view.signedIn,
    body: [
      ...alert(problem),
      ...alert(view.notice, 'notice'),
      facts(view),
      ...work(view),
      ...history(view.ticket, view.signedIn.sub),
      `<p><a href="${consolePaths.queue}">Back to the queue</a></p>`,
    ],
  });
