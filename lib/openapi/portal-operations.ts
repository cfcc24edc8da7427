// The client portal's routes in the OpenAPI document: a JSON sign-in request, and HTML pages and form posts behind
// the portal's session cookie. Their bodies are the portal's own (lib/portal/forms.ts).
import * as z from 'zod/mini';
import { signInRequestBody, signOutForm } from '../portal/forms.ts';
import type { Operation } from './operations.ts';

const html = 'text/html';
const page = z.string().check(z.describe('An HTML page of the client portal'));
const session = '__Host-portal_session (HttpOnly; Secure; SameSite=Lax; Path=/): the session, 30 minutes idle, 12 hours at most';

export const portalOperations: Record<string, Operation> = {
  'GET /portal': {
    summary: 'The client portal: signed in, each household the client has access to; signed out, the form that asks for a sign-in link',
    tag: 'client',
    response: { status: 200, schema: page, contentType: html, description: 'The portal, or the sign-in form' },
    errors: [],
    errorType: html,
  },
  'GET /portal/upload.js': {
    summary: 'The portal page’s one script (its upload forms): the page names it with its SRI hash, which is also the only script its CSP allows',
    tag: 'client',
    response: { status: 200, schema: z.string().check(z.describe('JavaScript')), contentType: 'text/javascript', description: 'The script' },
    errors: [],
  },
  'POST /portal/sign-in': {
    summary:
      'Ask for a sign-in link by email. Always 202 with the same body, after the same time, whether or not the email has portal access or a limit (per email, per source) was reached; the link (PORTAL_URL/portal/sign-in/{token}) works once, for 15 minutes. The sign-in page posts it as a form and gets the "check your email" page.',
    tag: 'client',
    body: signInRequestBody,
    response: {
      status: 202,
      schema: z.object({ message: z.string() }),
      description: 'Accepted: a link is emailed if the address has portal access',
    },
    errors: ['validation_error', 'invalid_json', 'payload_too_large', 'unsupported_media_type'],
  },
  'GET /portal/sign-in/{token}': {
    summary: 'The emailed sign-in link’s page: a "Sign in" button; opening it uses nothing (mail scanners)',
    tag: 'client',
    response: { status: 200, schema: page, contentType: html, description: 'The sign-in button' },
    errors: ['not_found', 'rate_limited'],
    errorType: html,
  },
  'HEAD /portal/sign-in/{token}': {
    summary: 'The same headers as GET, no body; uses nothing',
    tag: 'client',
    response: { status: 200, description: 'The headers of the page' },
    errors: ['not_found', 'rate_limited'],
    errorType: html,
  },
  'POST /portal/sign-in/{token}': {
    summary:
      'The link page’s button: uses the link (once) and signs in. Unknown, used and expired links get the same 404 page; refused (403) unless posted from the portal’s own page.',
    tag: 'client',
    response: { status: 303, description: 'See Other: the portal', headers: { location: '/portal', 'set-cookie': session } },
    errors: ['forbidden', 'not_found', 'rate_limited'],
    errorType: html,
  },
  'POST /portal/sign-out': {
    summary: 'Ends the session server-side. Refused (403) unless it comes from the portal’s own origin with the session’s CSRF token.',
    tag: 'client',
    body: signOutForm,
    bodyType: 'application/x-www-form-urlencoded',
    response: { status: 303, description: 'See Other: the portal’s sign-in form', headers: { location: '/portal', 'set-cookie': 'The session cookie, cleared' } },
    errors: ['forbidden'],
    errorType: html,
  },
};
