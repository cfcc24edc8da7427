// The ops console's routes in the OpenAPI document: HTML pages and form posts behind a session cookie, not a
// bearer token. Their forms' fields are the console's own (lib/console/forms.ts).
import * as z from 'zod/mini';
import { approveForm, claimForm, rejectForm, signInForm, signOutForm } from '../console/forms.ts';
import type { Operation } from './operations.ts';

const html = 'text/html';
const page = z.string().check(z.describe('An HTML page of the ops console'));
const formPost = { bodyType: 'application/x-www-form-urlencoded', errorType: 'text/html' } as const;
const signedOut = 'A signed-out browser is sent (303) to sign in, and shown no data.';
const checked = 'Refused (403) unless it comes from the console’s own origin with the session’s CSRF token; a refusal changes nothing.';

const backTo = (what: string) => ({ status: 303, description: `Done: See Other, back to ${what} (Post/Redirect/Get)`, headers: { location: what } });

const ticketForm = (summary: string, body: Operation['body'], errors: string[], response = backTo('the ticket page')): Operation => ({
  summary: `${summary}. ${checked}`,
  tag: 'ops',
  body,
  ...formPost,
  response,
  errors: ['forbidden', 'not_found', 'conflict', 'validation_error', 'payload_too_large', 'unsupported_media_type', ...errors],
});

export const consoleOperations: Record<string, Operation> = {
  'GET /ops/console': {
    summary: `The ops console's work list: filters, each ticket's age, firm, client and assignee. ${signedOut}`,
    tag: 'ops',
    response: { status: 200, schema: page, contentType: html, description: 'The queue' },
    errors: ['validation_error'],
    errorType: html,
  },
  'GET /ops/console/tickets/{ticketId}': {
    summary: `One ticket: client, household, firm, inviting advisor, history, and the decision forms. ${signedOut}`,
    tag: 'ops',
    response: { status: 200, schema: page, contentType: html, description: 'The ticket page' },
    errors: ['not_found'],
    errorType: html,
  },
  'POST /ops/console/tickets/{ticketId}/claim': ticketForm('Claim the ticket: one assignee at a time', claimForm, [], backTo('the page the form was on')),
  'POST /ops/console/tickets/{ticketId}/release': ticketForm('Release a ticket you claimed', claimForm, [], backTo('the page the form was on')),
  'POST /ops/console/tickets/{ticketId}/approve': ticketForm('Approve with evidence (how the client was verified)', approveForm, []),
  'POST /ops/console/tickets/{ticketId}/reject': ticketForm('Reject with a reason and, optionally, evidence', rejectForm, []),
  'GET /ops/console/sign-in': {
    summary: `The sign-in page: its button starts the hosted (Cognito) sign-in. Under npm start a signed-out browser is sent to the local sign-in page instead, which is never deployed.`,
    tag: 'ops',
    response: { status: 200, schema: page, contentType: html, description: 'The sign-in page' },
    errors: ['not_found'],
    errorType: html,
  },
  'POST /ops/console/sign-in': {
    summary: 'Starts a hosted sign-in: authorization code with PKCE (S256), its state bound to a short-lived cookie',
    tag: 'ops',
    body: signInForm,
    ...formPost,
    response: { status: 303, description: 'See Other: the hosted sign-in page', headers: { location: 'The user pool’s /oauth2/authorize', 'set-cookie': '__Host-ops_sign_in' } },
    errors: ['forbidden', 'not_found'],
  },
  'GET /ops/console/callback': {
    summary: 'Where the hosted sign-in returns: the code is exchanged and the ID token verified; a member of the ops group gets a session',
    tag: 'ops',
    response: { status: 303, description: 'See Other: the console page sign-in started from', headers: { location: 'A console page', 'set-cookie': '__Host-ops_session' } },
    errors: ['unauthorized', 'forbidden', 'not_found'],
    errorType: html,
  },
  'POST /ops/console/sign-out': {
    summary: `Ends the session and the hosted sign-in's own. ${checked}`,
    tag: 'ops',
    body: signOutForm,
    ...formPost,
    response: { status: 303, description: 'See Other: the hosted sign-in’s /logout, then the sign-in page', headers: { location: 'The user pool’s /logout' } },
    errors: ['forbidden'],
  },
};
