// The signed-in client's portal page: a section per household they have access to, and the sign-out form. A
// household's section is where what it asks of the client (the documents checklist) is shown.
import { escapeHtml } from '../email/escape.ts';
import type { Reply } from '../http/response.ts';
import type { DocumentRequest } from '../domain/document-request.ts';
import type { PortalAccess } from '../domain/portal-access.ts';
import { pageReply, paragraph } from '../pages/page-document.ts';
import type { PortalView } from '../use-cases/view-portal.ts';
import { checklist } from './checklist.ts';
import { portalPaths } from './paths.ts';
import { uploadScriptHash } from './upload-script.ts';

const firmOf = (access: PortalAccess) => access.firmName ?? 'your advisor';

/** One household's part of the page: who it is with, and what its advisor asks of the client. */
export const householdSection = (access: PortalAccess, index: number, items: DocumentRequest[], csrfToken: string): string[] => [
  `<section aria-labelledby="household-${index}">`,
  `<h2 id="household-${index}">${escapeHtml(access.householdName)}</h2>`,
  paragraph(`With ${firmOf(access)}.`, ' class="hint"'),
  ...checklist(items, csrfToken),
  '</section>',
];

/** A post, so it carries the session's CSRF token; a link could be followed by anything that can make a GET. */
const signOutForm = (csrfToken: string): string =>
  [
    `<form method="post" action="${portalPaths.signOut}">`,
    `<input type="hidden" name="csrf" value="${escapeHtml(csrfToken)}">`,
    '<button type="submit">Sign out</button>',
    '</form>',
  ].join('\n');

/** `checklists` holds each household's items, in the order of `view.households`. */
export const portalPageReply = (view: PortalView, checklists: DocumentRequest[][], csrfToken: string): Reply => {
  const [only] = view.households.length === 1 ? view.households : [];
  return pageReply(200, {
    title: 'Your client portal',
    firm: only?.firmName,
    body: [
      paragraph(`Welcome, ${view.firstName}.`),
      paragraph(`You are signed in as ${view.client.email}.`, ' class="hint"'),
      ...view.households.flatMap((access, index) => householdSection(access, index, checklists[index] ?? [], csrfToken)),
      signOutForm(csrfToken),
      // Deferred, so it runs once the forms it finds are parsed; the integrity hash is what the CSP allows.
      `<script src="${portalPaths.uploadScript}" integrity="${uploadScriptHash()}" defer></script>`,
    ],
  });
};
