import * as z from 'zod/mini';
import type { Schema } from '../schemas/validate.ts';
import { consoleOperations } from './console-operations.ts';
import { documentRequestOperations } from './document-request-operations.ts';
import { householdDeletionOperations } from './household-deletion-operations.ts';
import { portalOperations } from './portal-operations.ts';
import { listQuery } from '../schemas/common.ts';
import { householdEventView } from '../schemas/events.ts';
import { createHouseholdBody, listHouseholdsQuery, newAccount } from '../schemas/households.ts';
import { approveBody, batchInvitationItem, batchOf, createInvitationBody, listTicketsQuery, rejectBody, verifyBody } from '../schemas/invitations.ts';
import {
  batchInvitationsResponse,
  decisionResponse,
  errorBody,
  householdResponse,
  householdView,
  invitationResponse,
  invitationView,
  listOf,
  portalAccessResponse,
  portalInvitationResponse,
  ticketResponse,
  ticketView,
} from '../schemas/views.ts';

export { errorBody };

export interface Operation {
  summary: string;
  tag: 'advisor' | 'client' | 'ops' | 'meta';
  body?: Schema;
  /** How the body is sent; JSON unless a page's form posts it. */
  bodyType?: 'application/json' | 'application/x-www-form-urlencoded';
  query?: Schema;
  response: { status: number; schema?: Schema; description: string; contentType?: string; headers?: Record<string, string> };
  /** Error codes this operation can answer besides the ones every route shares. */
  errors: string[];
  /** Errors come as this page type instead of the JSON error body (the invite page answers in HTML). */
  errorType?: 'text/html';
}

const html = 'text/html';
const page = z.string().check(z.describe('An HTML page'));
const formPost = { bodyType: 'application/x-www-form-urlencoded', errorType: 'text/html' } as const;
const backToPage = {
  status: 303,
  description: 'Done: See Other, back to the page (Location: /invite/{token}), so a reload never resends the form',
  headers: { location: 'The page: /invite/{token}' },
};

/** One entry per route of infra/routes.ts, keyed "METHOD /path"; a test keeps the two in step. */
export const operations: Record<string, Operation> = {
  'POST /households': {
    summary: 'Create a household; with no accounts it is a prospect',
    tag: 'advisor',
    body: createHouseholdBody,
    response: { status: 201, schema: householdResponse, description: 'The new household' },
    errors: ['validation_error', 'invalid_json', 'payload_too_large', 'unsupported_media_type'],
  },
  'GET /households': {
    summary: "List the caller firm's households",
    tag: 'advisor',
    query: listHouseholdsQuery,
    response: { status: 200, schema: listOf(householdView), description: 'A page of households' },
    errors: ['validation_error'],
  },
  'GET /households/{householdId}': {
    summary: 'Read one household',
    tag: 'advisor',
    response: { status: 200, schema: householdResponse, description: 'The household' },
    errors: ['not_found'],
  },
  'POST /households/{householdId}/accounts': {
    summary: 'Link an account; a prospect becomes a client',
    tag: 'advisor',
    body: newAccount,
    response: { status: 201, schema: householdResponse, description: 'The household with the account linked' },
    errors: ['not_found', 'conflict', 'validation_error', 'invalid_json', 'unsupported_media_type'],
  },
  'POST /households/{householdId}/invitations': {
    summary: 'Invite a household member by email; a household without accounts also raises a verification ticket',
    tag: 'advisor',
    body: createInvitationBody,
    response: { status: 201, schema: invitationResponse, description: 'The invitation, emailed' },
    errors: ['not_found', 'conflict', 'validation_error', 'invalid_json', 'unsupported_media_type', 'email_send_failed'],
  },
  'POST /invitations/batch': {
    summary:
      'Invite up to 100 people, each as POST /households/{householdId}/invitations would: one 200 with a result per item, ' +
      'in order, each with its own status (201 with the invitation; 400, 404, 409, 429 or 502 with its error). 200, not ' +
      "207 Multi-Status: the request was carried out, and 207 is WebDAV's, which many clients do not expect. An invalid " +
      'envelope (not 1-100 items) is a 400 and does nothing; an invalid item fails only itself (paths body.items.N.field). ' +
      'Emails keep to SES_MAX_SEND_RATE (default 14/s); an item that could not be emailed in time is not started (429). ' +
      'With an Idempotency-Key a retry does nothing twice, even after an attempt that died midway (docs/batch-invitations.md)',
    tag: 'advisor',
    // Checked as an envelope, then item by item (lib/schemas/invitations.ts); documented as the items it takes.
    body: batchOf(batchInvitationItem),
    response: { status: 200, schema: batchInvitationsResponse, description: 'A result per item, in the order sent' },
    errors: ['validation_error', 'invalid_json', 'payload_too_large', 'unsupported_media_type', 'conflict', 'idempotency_key_reused'],
  },
  'GET /households/{householdId}/events': {
    summary:
      "A household's audit trail, oldest first: every change to it, its invitations and its tickets, with who made it " +
      '(sub and role), when, the state before and after and the request that made it. Written in the same transaction ' +
      'as each change; no route changes or deletes an event. Ids and states only: no names, emails or account numbers. ' +
      'A deleted household keeps its trail: this is the one read that still answers for it',
    tag: 'advisor',
    query: listQuery,
    response: { status: 200, schema: listOf(householdEventView), description: 'A page of events' },
    errors: ['not_found', 'validation_error'],
  },
  'GET /households/{householdId}/invitations': {
    summary: "List a household's invitations",
    tag: 'advisor',
    query: listQuery,
    response: { status: 200, schema: listOf(invitationView), description: 'A page of invitations' },
    errors: ['not_found', 'validation_error'],
  },
  'POST /households/{householdId}/invitations/{invitationId}/resend': {
    summary: 'Send a new link with a new expiry; the old link stops working',
    tag: 'advisor',
    response: { status: 200, schema: invitationResponse, description: 'The reissued invitation' },
    errors: ['not_found', 'conflict', 'rate_limited', 'email_send_failed'],
  },
  'POST /households/{householdId}/invitations/{invitationId}/revoke': {
    summary: 'Kill the link and cancel any open verification ticket',
    tag: 'advisor',
    response: { status: 200, schema: invitationResponse, description: 'The revoked invitation' },
    errors: ['not_found', 'conflict'],
  },
  'GET /portal/invitations/{token}': {
    summary: "The client's view of their invitation",
    tag: 'client',
    response: { status: 200, schema: portalInvitationResponse, description: 'Where the invitation stands' },
    errors: ['not_found'],
  },
  'POST /portal/invitations/{token}/verify': {
    summary: 'Verify with an account number of the household',
    tag: 'client',
    body: verifyBody,
    response: { status: 200, schema: portalInvitationResponse, description: 'Verified' },
    errors: ['not_found', 'conflict', 'invalid_account_number', 'locked', 'validation_error', 'invalid_json', 'unsupported_media_type'],
  },
  'POST /portal/invitations/{token}/accept': {
    summary: 'Accept a verified invitation; portal access becomes active. Posted from the portal’s own origin, it also signs the client in (the portal session cookie)',
    tag: 'client',
    response: {
      status: 200,
      schema: portalAccessResponse,
      description: 'Portal access is active',
      headers: { 'set-cookie': '__Host-portal_session, when posted from the portal’s own origin' },
    },
    errors: ['not_found', 'conflict'],
  },
  'GET /ops/tickets': {
    summary: 'The ops work list across every firm, oldest first: open tickets unless a status is named; a page may be short while nextCursor is set',
    tag: 'ops',
    query: listTicketsQuery,
    response: { status: 200, schema: listOf(ticketView), description: 'A page of tickets' },
    errors: ['validation_error'],
  },
  'GET /ops/tickets/{ticketId}': {
    summary: "Read any firm's verification ticket, with its history and evidence",
    tag: 'ops',
    response: { status: 200, schema: ticketResponse, description: 'The ticket' },
    errors: ['not_found'],
  },
  'POST /ops/tickets/{ticketId}/claim': {
    summary: 'Claim the ticket: one assignee at a time, and only they decide it; claiming your own claim changes nothing',
    tag: 'ops',
    response: { status: 200, schema: ticketResponse, description: 'The claimed ticket' },
    errors: ['not_found', 'conflict'],
  },
  'POST /ops/tickets/{ticketId}/release': {
    summary: 'Give the ticket back to the queue; only its assignee may',
    tag: 'ops',
    response: { status: 200, schema: ticketResponse, description: 'The released ticket' },
    errors: ['not_found', 'conflict'],
  },
  'POST /ops/tickets/{ticketId}/approve': {
    summary: 'Approve with evidence: the client is verified and emailed a fresh link',
    tag: 'ops',
    body: approveBody,
    response: { status: 200, schema: decisionResponse, description: 'The decided ticket' },
    errors: ['not_found', 'conflict', 'validation_error', 'invalid_json', 'unsupported_media_type'],
  },
  'POST /ops/tickets/{ticketId}/reject': {
    summary: 'Reject: verification is rejected and the advisor is told by email',
    tag: 'ops',
    body: rejectBody,
    response: { status: 200, schema: decisionResponse, description: 'The decided ticket' },
    errors: ['not_found', 'conflict', 'validation_error', 'invalid_json', 'unsupported_media_type'],
  },
  'GET /invite/{token}': {
    summary: 'The page behind the emailed link: verify form, being verified, locked, declined, accept button or done',
    tag: 'client',
    response: { status: 200, schema: page, contentType: html, description: 'The page for where the invitation stands' },
    errors: ['not_found', 'rate_limited'],
    errorType: 'text/html',
  },
  'HEAD /invite/{token}': {
    summary: 'The same headers as GET, no body; changes nothing (mail scanners)',
    tag: 'client',
    response: { status: 200, description: 'The headers of the page' },
    errors: ['not_found', 'rate_limited'],
    errorType: 'text/html',
  },
  'POST /invite/{token}/verify': {
    summary: 'The verify form: an account number of the household',
    tag: 'client',
    body: verifyBody,
    ...formPost,
    response: backToPage,
    errors: ['not_found', 'conflict', 'invalid_account_number', 'locked', 'validation_error', 'payload_too_large', 'unsupported_media_type', 'rate_limited'],
  },
  'POST /invite/{token}/accept': {
    summary: 'The accept button; needs a verified invitation. Signs the client in to the portal (its session cookie on the 303)',
    tag: 'client',
    ...formPost,
    response: backToPage,
    errors: ['not_found', 'conflict', 'validation_error', 'payload_too_large', 'unsupported_media_type', 'rate_limited'],
  },
  'GET /openapi.json': {
    summary: 'This OpenAPI document',
    tag: 'meta',
    response: { status: 200, description: 'OpenAPI 3.1 document' },
    errors: [],
  },
  ...documentRequestOperations,
  ...householdDeletionOperations,
  ...consoleOperations,
  ...portalOperations,
};

