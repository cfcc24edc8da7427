// One ticket: who is waiting, for which household and firm, who asked, what happened so far, and the decision forms.
import type { Reply } from '../http/response.ts';
import { alert, consoleReply, hiddenCsrf, text, type SignedIn } from './console-document.ts';
import type { DeskTicket } from './desk.ts';
import { describeEvidence, evidenceMethods, methodLabels } from './evidence.ts';
import { consolePaths } from './paths.ts';
import { claimButton } from './queue-page.ts';
import { ageOf, assigneeLabel, reasonLabels, statusLabels, when } from './ticket-labels.ts';

/** What the person typed into a decision form, shown again when the decision was refused. */
export type Draft = Partial<Record<'method' | 'reference' | 'note' | 'reason', string>>;

export interface TicketPageView {
  signedIn: SignedIn;
  ticket: DeskTicket;
  canClaim: boolean;
  now: Date;
  notice?: string | undefined;
  draft?: { form: 'approve' | 'reject'; values: Draft } | undefined;
}

const entry = (term: string, value: string | undefined, detail?: string) =>
  value === undefined ? '' : `<dt>${text(term)}</dt><dd>${text(value)}${detail ? `<br><span class="hint">${text(detail)}</span>` : ''}</dd>`;

const waited = (since: string, now: Date) => {
  const age = ageOf(since, now);
  return age === 'just now' ? age : `${age} ago`;
};

const facts = (view: TicketPageView) => {
  const { ticket } = view;
  return [
    '<dl>',
    entry('Status', statusLabels[ticket.status], ticket.status === 'open' ? assigneeLabel(ticket.assignee, view.signedIn.sub) : undefined),
    entry('Reason', reasonLabels[ticket.reason]),
    entry('Raised', when(ticket.createdAt), waited(ticket.createdAt, view.now)),
    entry('Client', `${ticket.client.firstName} ${ticket.client.lastName}`, ticket.client.email),
    entry('Household', ticket.householdName ?? ticket.householdId, ticket.householdName ? ticket.householdId : undefined),
    entry('Firm', ticket.firmName ?? ticket.firmId, ticket.firmName ? ticket.firmId : undefined),
    entry('Inviting advisor', ticket.requestedBy),
    entry('Decided', ticket.decidedAt && when(ticket.decidedAt), ticket.decidedBy && `by ${ticket.decidedBy}`),
    entry('Evidence', ticket.evidence && describeEvidence(ticket.evidence)),
    entry('Note', ticket.note),
    '</dl>',
  ].join('');
};

const methodSelect = (id: string, required: boolean, selected: string | undefined) =>
  [
    `<select id="${id}" name="method"${required ? ' required' : ''}>`,
    `<option value=""${selected ? '' : ' selected'}>${required ? 'Choose how you verified' : 'None'}</option>`,
    ...evidenceMethods.map((method) => `<option value="${method}"${selected === method ? ' selected' : ''}>${text(methodLabels[method])}</option>`),
    '</select>',
  ].join('');

const field = (label: string, id: string, control: string, hint?: string) =>
  `<label for="${id}">${text(label)}</label>${control}${hint ? `<p class="hint">${text(hint)}</p>` : ''}`;

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
    field('Reference', 'approve-reference', `<input id="approve-reference" name="reference" type="text" maxlength="200" value="${text(approve.reference ?? '')}">`, 'A call log id, a document number: whatever lets a colleague check it.'),
    field('Note', 'approve-note', `<textarea id="approve-note" name="note" maxlength="1000">${text(approve.note ?? '')}</textarea>`),
    '<p><button type="submit">Approve and send the client a new link</button></p>',
    '</form>',
    `<form method="post" action="${text(consolePaths.action(ticket.ticketId, 'reject'))}" aria-labelledby="reject-heading">`,
    '<h2 id="reject-heading">Reject</h2>',
    hiddenCsrf(signedIn.csrfToken),
    field('Reason', 'reject-reason', `<textarea id="reject-reason" name="reason" required maxlength="1000">${text(reject.reason ?? '')}</textarea>`, 'The advisor is told this reason by email.'),
    field('Evidence', 'reject-method', methodSelect('reject-method', false, reject.method)),
    field('Reference', 'reject-reference', `<input id="reject-reference" name="reference" type="text" maxlength="200" value="${text(reject.reference ?? '')}">`),
    '<p><button type="submit" class="danger">Reject</button></p>',
    '</form>',
    '</div>',
  ];
};

const actionLabels: Record<string, string> = { raised: 'Raised', claimed: 'Claimed', released: 'Released', decided: 'Decided', cancelled: 'Cancelled' };

const history = (ticket: DeskTicket) =>
  ticket.history && ticket.history.length > 0
    ? [
        '<h2>History</h2>',
        '<table><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th></tr></thead><tbody>',
        ...ticket.history.map(
          (event) => `<tr><td>${text(when(event.at))}</td><td>${text(event.by)}</td><td>${text(actionLabels[event.action] ?? event.action)}</td></tr>`,
        ),
        '</tbody></table>',
      ]
    : ['<h2>History</h2>', '<p class="hint">No history was recorded for this ticket.</p>'];

const claimControls = (view: TicketPageView) => {
  const { ticket, signedIn } = view;
  if (!view.canClaim || ticket.status !== 'open') return [];
  const back = consolePaths.ticket(ticket.ticketId);
  if (ticket.assignee === undefined) return [`<p>${claimButton(ticket, 'claim', signedIn, back)}</p>`];
  if (ticket.assignee === signedIn.sub) return [`<p>${claimButton(ticket, 'release', signedIn, back)}</p>`];
  return [`<p class="hint">${text(ticket.assignee)} is working on this ticket; only they can decide it while it is claimed.</p>`];
};

export const ticketReply = (status: number, view: TicketPageView, problem?: string): Reply =>
  consoleReply(status, {
    title: `Verify ${view.ticket.client.firstName} ${view.ticket.client.lastName}`,
    signedIn: view.signedIn,
    body: [
      ...alert(problem),
      ...alert(view.notice, 'notice'),
      facts(view),
      ...claimControls(view),
      ...(view.ticket.status === 'open' ? decisionForms(view) : []),
      ...history(view.ticket),
      `<p><a href="${consolePaths.queue}">Back to the queue</a></p>`,
    ],
  });
