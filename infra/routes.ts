// The one route table: the CDK stack and the local server both read it, so the two cannot drift.

/**
 * Who may call a route: a Cognito group, whoever holds an invitation link, or whoever holds a session cookie of the
 * ops console (`console`) or of the client portal (`portal`), the pages that grant one included.
 */
export type Access = 'advisor' | 'ops' | 'invitation' | 'public' | 'console' | 'portal';

/**
 * What a link route (the token in the path is its only credential) writes, each granted on its key prefix only:
 * `throttle` the per-source counters, `idempotency` its link-scoped Idempotency-Key claims, `verify` the
 * invitation's verification and the ticket request a lock raises, `accept` the invitation and its live lock, the
 * client's portal access and the portal session accepting starts.
 */
export type LinkWrite = 'throttle' | 'idempotency' | 'verify' | 'accept';

/** `purge`: list and delete a deleted household's objects (household-deletion.ts). */
export type DocumentUse = 'upload' | 'download' | 'manage' | 'purge';

/** What a function touches; the CDK stack turns each into a grant plus its env var. */
export interface FunctionNeeds {
  table?: 'read' | 'readwrite';
  /** Narrows `readwrite` for a link route: reads by key only, and only these writes. */
  linkWrites?: readonly LinkWrite[];
  /** Sends verification-bypass ticket requests to the ops queue. */
  ticketQueue?: true;
  /** Sends email through SES. */
  email?: true;
  /** Clients' uploaded documents in S3: sign upload forms, sign download links, or inspect and delete what landed. */
  documents?: DocumentUse;
  /** Hashes account numbers with the firm-wide HMAC key. */
  accountKey?: true;
  /** Knows the ops console's hosted sign-in: the user pool's domain and issuer, and the console's app client. */
  consoleAuth?: true;
  /** Publishes lifecycle events for integrations (docs/events.md): the ones its changes write, right after commit. */
  eventBus?: true;
}

/**
 * What invokes a function that no route does; `emailEvents` is SES's configuration-set events, through SNS and SQS;
 * `documentUploads` the document bucket's ObjectCreated events and (in AWS) GuardDuty's scan results, on one queue.
 */
export type Trigger = { kind: 'ticketQueue' } | { kind: 'schedule'; rate: string } | { kind: 'emailEvents' } | { kind: 'documentUploads' };

export interface FunctionSpec {
  /** File under functions/ that exports `handler`. */
  entry: string;
  needs: FunctionNeeds;
  trigger?: Trigger;
}

export const functions = {
  'create-household': { entry: 'create-household.ts', needs: { table: 'readwrite', accountKey: true, eventBus: true } },
  'list-households': { entry: 'list-households.ts', needs: { table: 'read' } },
  'get-household': { entry: 'get-household.ts', needs: { table: 'read' } },
  // The tombstone, then the purge of what the household held, its files included (domain/household-deletion.ts).
  'delete-household': { entry: 'delete-household.ts', needs: { table: 'readwrite', documents: 'purge', eventBus: true } },
  'link-account': { entry: 'link-account.ts', needs: { table: 'readwrite', accountKey: true, eventBus: true } },
  'send-invitation': { entry: 'send-invitation.ts', needs: { table: 'readwrite', email: true, ticketQueue: true, eventBus: true } },
  'send-invitations-batch': { entry: 'send-invitations-batch.ts', needs: { table: 'readwrite', email: true, ticketQueue: true, eventBus: true } },
  'list-invitations': { entry: 'list-invitations.ts', needs: { table: 'read' } },
  'list-household-events': { entry: 'list-household-events.ts', needs: { table: 'read' } },
  'resend-invitation': { entry: 'resend-invitation.ts', needs: { table: 'readwrite', email: true } },
  'revoke-invitation': { entry: 'revoke-invitation.ts', needs: { table: 'readwrite' } },
  // Reading a link writes too: dead links count toward the per-source throttle.
  'view-invitation': { entry: 'view-invitation.ts', needs: { table: 'readwrite', linkWrites: ['throttle'] } },
  'verify-identity': {
    entry: 'verify-identity.ts',
    needs: { table: 'readwrite', linkWrites: ['throttle', 'idempotency', 'verify'], accountKey: true, ticketQueue: true, eventBus: true },
  },
  'accept-invitation': {
    entry: 'accept-invitation.ts',
    needs: { table: 'readwrite', linkWrites: ['throttle', 'idempotency', 'accept'], eventBus: true },
  },
  'list-tickets': { entry: 'list-tickets.ts', needs: { table: 'read' } },
  'get-ticket': { entry: 'get-ticket.ts', needs: { table: 'read' } },
  'claim-ticket': { entry: 'claim-ticket.ts', needs: { table: 'readwrite' } },
  'release-ticket': { entry: 'release-ticket.ts', needs: { table: 'readwrite' } },
  'approve-verification': { entry: 'approve-verification.ts', needs: { table: 'readwrite', email: true, eventBus: true } },
  'reject-verification': { entry: 'reject-verification.ts', needs: { table: 'readwrite', email: true, eventBus: true } },
  'raise-verification-tickets': {
    entry: 'raise-verification-tickets.ts',
    needs: { table: 'readwrite', email: true, eventBus: true },
    trigger: { kind: 'ticketQueue' },
  },
  // Email for the reminders before a link expires and the notices owed to advisors; documents to finish the purge
  // of a deleted household that its request left undone.
  'sweep-outbox': {
    entry: 'sweep-outbox.ts',
    needs: { table: 'readwrite', ticketQueue: true, email: true, eventBus: true, documents: 'purge' },
    trigger: { kind: 'schedule', rate: 'rate(1 minute)' },
  },
  // Bounces and complaints end the invitation they name; email for the advisor's notice.
  'record-email-events': {
    entry: 'record-email-events.ts',
    needs: { table: 'readwrite', email: true, eventBus: true },
    trigger: { kind: 'emailEvents' },
  },
  // A household's document checklist (domain/document-request.ts).
  'add-document-requests': { entry: 'add-document-requests.ts', needs: { table: 'readwrite' } },
  'list-document-requests': { entry: 'list-document-requests.ts', needs: { table: 'read' } },
  // Each deletes the file the item no longer holds (a scanning file cancelled, a file re-requested).
  'cancel-document-request': { entry: 'cancel-document-request.ts', needs: { table: 'readwrite', documents: 'manage' } },
  're-request-document': { entry: 're-request-document.ts', needs: { table: 'readwrite', documents: 'manage' } },
  // Each link issued is an audit event (a Put in the household's partition).
  'download-document': { entry: 'download-document.ts', needs: { table: 'readwrite', documents: 'download' } },
  // The signed-in client's upload form for one item, and what the bucket says once a file landed or was scanned
  // (email: the advisor's one notice once every required file is received).
  'start-document-upload': { entry: 'start-document-upload.ts', needs: { table: 'readwrite', documents: 'upload' } },
  'record-document-uploads': {
    entry: 'record-document-uploads.ts',
    needs: { table: 'readwrite', documents: 'manage', email: true },
    trigger: { kind: 'documentUploads' },
  },
  openapi: { entry: 'openapi.ts', needs: {} },
  // Readwrite only for the per-source throttle counters; showing the page never changes an invitation.
  'invite-page': { entry: 'invite-page.ts', needs: { table: 'readwrite', linkWrites: ['throttle'] } },
  'invite-page-action': {
    entry: 'invite-page-action.ts',
    needs: { table: 'readwrite', linkWrites: ['throttle', 'verify', 'accept'], accountKey: true, ticketQueue: true, eventBus: true },
  },
  // The ops console (lib/console): readwrite for its sessions; each page's CSP names the hosted sign-in its forms reach.
  'ops-console': { entry: 'ops-console.ts', needs: { table: 'readwrite', consoleAuth: true } },
  'ops-console-action': { entry: 'ops-console-action.ts', needs: { table: 'readwrite', email: true, consoleAuth: true, eventBus: true } },
  'ops-console-sign-in': { entry: 'ops-console-sign-in.ts', needs: { table: 'readwrite', consoleAuth: true } },
  // The client portal (lib/portal): readwrite for its sessions, sign-in links and per-source counters.
  portal: { entry: 'portal.ts', needs: { table: 'readwrite' } },
  'request-portal-sign-in': { entry: 'request-portal-sign-in.ts', needs: { table: 'readwrite', email: true } },
  'portal-sign-in': { entry: 'portal-sign-in.ts', needs: { table: 'readwrite' } },
} satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;

/**
 * Functions the local stack runs and AWS never gets: the CDK stack reads only `functions` and `routes`, so nothing
 * here can be deployed by forgetting a flag (test/infra/local-only.test.ts checks the synthesized API).
 */
export const localOnlyFunctions = {
  // A development ops user's console session without a user pool (lib/console/local-sign-in.ts).
  'ops-console-local-sign-in': { entry: 'ops-console-local-sign-in.ts', needs: { table: 'readwrite' } },
} satisfies Record<string, FunctionSpec>;

export type LocalOnlyFunctionName = keyof typeof localOnlyFunctions;
/** Every function the local stack can run. */
export type RunnableFunctionName = FunctionName | LocalOnlyFunctionName;
export const runnableFunctions = { ...functions, ...localOnlyFunctions };

export type Method = 'GET' | 'POST' | 'HEAD' | 'DELETE';

export interface Route<F extends RunnableFunctionName = FunctionName> {
  method: Method;
  /** API Gateway path syntax: `{name}` is one path segment. */
  path: string;
  function: F;
  access: Access;
}

export const routes: readonly Route[] = [
  { method: 'POST', path: '/households', function: 'create-household', access: 'advisor' },
  { method: 'GET', path: '/households', function: 'list-households', access: 'advisor' },
  { method: 'GET', path: '/households/{householdId}', function: 'get-household', access: 'advisor' },
  { method: 'DELETE', path: '/households/{householdId}', function: 'delete-household', access: 'advisor' },
  { method: 'POST', path: '/households/{householdId}/accounts', function: 'link-account', access: 'advisor' },
  { method: 'POST', path: '/households/{householdId}/invitations', function: 'send-invitation', access: 'advisor' },
  { method: 'POST', path: '/invitations/batch', function: 'send-invitations-batch', access: 'advisor' },
  { method: 'GET', path: '/households/{householdId}/invitations', function: 'list-invitations', access: 'advisor' },
  { method: 'GET', path: '/households/{householdId}/events', function: 'list-household-events', access: 'advisor' },
  {
    method: 'POST',
    path: '/households/{householdId}/invitations/{invitationId}/resend',
    function: 'resend-invitation',
    access: 'advisor',
  },
  {
    method: 'POST',
    path: '/households/{householdId}/invitations/{invitationId}/revoke',
    function: 'revoke-invitation',
    access: 'advisor',
  },
  { method: 'POST', path: '/households/{householdId}/document-requests', function: 'add-document-requests', access: 'advisor' },
  { method: 'GET', path: '/households/{householdId}/document-requests', function: 'list-document-requests', access: 'advisor' },
  {
    method: 'POST',
    path: '/households/{householdId}/document-requests/{requestId}/cancel',
    function: 'cancel-document-request',
    access: 'advisor',
  },
  {
    method: 'POST',
    path: '/households/{householdId}/document-requests/{requestId}/re-request',
    function: 're-request-document',
    access: 'advisor',
  },
  {
    method: 'GET',
    path: '/households/{householdId}/document-requests/{requestId}/download',
    function: 'download-document',
    access: 'advisor',
  },
  { method: 'GET', path: '/portal/invitations/{token}', function: 'view-invitation', access: 'invitation' },
  { method: 'POST', path: '/portal/invitations/{token}/verify', function: 'verify-identity', access: 'invitation' },
  { method: 'POST', path: '/portal/invitations/{token}/accept', function: 'accept-invitation', access: 'invitation' },
  { method: 'GET', path: '/ops/tickets', function: 'list-tickets', access: 'ops' },
  { method: 'GET', path: '/ops/tickets/{ticketId}', function: 'get-ticket', access: 'ops' },
  { method: 'POST', path: '/ops/tickets/{ticketId}/claim', function: 'claim-ticket', access: 'ops' },
  { method: 'POST', path: '/ops/tickets/{ticketId}/release', function: 'release-ticket', access: 'ops' },
  { method: 'POST', path: '/ops/tickets/{ticketId}/approve', function: 'approve-verification', access: 'ops' },
  { method: 'POST', path: '/ops/tickets/{ticketId}/reject', function: 'reject-verification', access: 'ops' },
  { method: 'GET', path: '/openapi.json', function: 'openapi', access: 'public' },
  // The server-rendered page behind the emailed link (SPEC 5): the token in the path is the credential.
  { method: 'GET', path: '/invite/{token}', function: 'invite-page', access: 'invitation' },
  { method: 'HEAD', path: '/invite/{token}', function: 'invite-page', access: 'invitation' },
  { method: 'POST', path: '/invite/{token}/verify', function: 'invite-page-action', access: 'invitation' },
  { method: 'POST', path: '/invite/{token}/accept', function: 'invite-page-action', access: 'invitation' },
  // The ops console's pages and forms (SPEC 5: GET /ops/console): the session cookie is the credential.
  { method: 'GET', path: '/ops/console', function: 'ops-console', access: 'console' },
  { method: 'GET', path: '/ops/console/tickets/{ticketId}', function: 'ops-console', access: 'console' },
  { method: 'POST', path: '/ops/console/tickets/{ticketId}/claim', function: 'ops-console-action', access: 'console' },
  { method: 'POST', path: '/ops/console/tickets/{ticketId}/release', function: 'ops-console-action', access: 'console' },
  { method: 'POST', path: '/ops/console/tickets/{ticketId}/approve', function: 'ops-console-action', access: 'console' },
  { method: 'POST', path: '/ops/console/tickets/{ticketId}/reject', function: 'ops-console-action', access: 'console' },
  { method: 'GET', path: '/ops/console/sign-in', function: 'ops-console-sign-in', access: 'console' },
  { method: 'POST', path: '/ops/console/sign-in', function: 'ops-console-sign-in', access: 'console' },
  { method: 'GET', path: '/ops/console/callback', function: 'ops-console-sign-in', access: 'console' },
  { method: 'POST', path: '/ops/console/sign-out', function: 'ops-console-sign-in', access: 'console' },
  // The client portal (SPEC 5: POST /portal/sign-in and the client's session): the session cookie is the credential.
  { method: 'GET', path: '/portal', function: 'portal', access: 'portal' },
  { method: 'GET', path: '/portal/upload.js', function: 'portal', access: 'portal' },
  { method: 'POST', path: '/portal/sign-in', function: 'request-portal-sign-in', access: 'portal' },
  { method: 'GET', path: '/portal/sign-in/{token}', function: 'portal-sign-in', access: 'portal' },
  { method: 'HEAD', path: '/portal/sign-in/{token}', function: 'portal-sign-in', access: 'portal' },
  { method: 'POST', path: '/portal/sign-in/{token}', function: 'portal-sign-in', access: 'portal' },
  { method: 'POST', path: '/portal/sign-out', function: 'portal-sign-in', access: 'portal' },
  { method: 'POST', path: '/portal/document-requests/{requestId}/upload', function: 'start-document-upload', access: 'portal' },
];

/** Routes only the local server serves (see localOnlyFunctions). */
export const localOnlyRoutes: readonly Route<LocalOnlyFunctionName>[] = [
  { method: 'GET', path: '/ops/console/local-sign-in', function: 'ops-console-local-sign-in', access: 'console' },
  { method: 'POST', path: '/ops/console/local-sign-in', function: 'ops-console-local-sign-in', access: 'console' },
];

/** Routes that need a verified JWT (the HTTP API JWT authorizer in AWS). */
export const needsJwt = (route: Route<RunnableFunctionName>): boolean => route.access === 'advisor' || route.access === 'ops';
