// The one route table: the CDK stack and the local server both read it, so the two cannot drift.

/** Who may call a route: a Cognito group, or whoever holds an invitation link. */
export type Access = 'advisor' | 'ops' | 'invitation' | 'public';

/**
 * What a link route (the token in the path is its only credential) writes, each granted on its key prefix only:
 * `throttle` the per-source counters, `idempotency` its link-scoped Idempotency-Key claims, `verify` the
 * invitation's verification and the ticket request a lock raises, `accept` the invitation and its live lock.
 */
export type LinkWrite = 'throttle' | 'idempotency' | 'verify' | 'accept';

/** What a function touches; the CDK stack turns each into a grant plus its env var. */
export interface FunctionNeeds {
  table?: 'read' | 'readwrite';
  /** Narrows `readwrite` for a link route: reads by key only, and only these writes. */
  linkWrites?: readonly LinkWrite[];
  /** Sends verification-bypass ticket requests to the ops queue. */
  ticketQueue?: true;
  /** Sends email through SES. */
  email?: true;
  /** Hashes account numbers with the firm-wide HMAC key. */
  accountKey?: true;
}

/** What invokes a function that no route does. */
export type Trigger = { kind: 'ticketQueue' } | { kind: 'schedule'; rate: string };

export interface FunctionSpec {
  /** File under functions/ that exports `handler`. */
  entry: string;
  needs: FunctionNeeds;
  trigger?: Trigger;
}

export const functions = {
  'create-household': { entry: 'create-household.ts', needs: { table: 'readwrite', accountKey: true } },
  'list-households': { entry: 'list-households.ts', needs: { table: 'read' } },
  'get-household': { entry: 'get-household.ts', needs: { table: 'read' } },
  'link-account': { entry: 'link-account.ts', needs: { table: 'readwrite', accountKey: true } },
  'send-invitation': { entry: 'send-invitation.ts', needs: { table: 'readwrite', email: true, ticketQueue: true } },
  'list-invitations': { entry: 'list-invitations.ts', needs: { table: 'read' } },
  'resend-invitation': { entry: 'resend-invitation.ts', needs: { table: 'readwrite', email: true } },
  'revoke-invitation': { entry: 'revoke-invitation.ts', needs: { table: 'readwrite' } },
  // Reading a link writes too: dead links count toward the per-source throttle.
  'view-invitation': { entry: 'view-invitation.ts', needs: { table: 'readwrite', linkWrites: ['throttle'] } },
  'verify-identity': {
    entry: 'verify-identity.ts',
    needs: { table: 'readwrite', linkWrites: ['throttle', 'idempotency', 'verify'], accountKey: true, ticketQueue: true },
  },
  'accept-invitation': { entry: 'accept-invitation.ts', needs: { table: 'readwrite', linkWrites: ['throttle', 'idempotency', 'accept'] } },
  'list-tickets': { entry: 'list-tickets.ts', needs: { table: 'read' } },
  'get-ticket': { entry: 'get-ticket.ts', needs: { table: 'read' } },
  'approve-verification': { entry: 'approve-verification.ts', needs: { table: 'readwrite', email: true } },
  'reject-verification': { entry: 'reject-verification.ts', needs: { table: 'readwrite', email: true } },
  'raise-verification-tickets': {
    entry: 'raise-verification-tickets.ts',
    needs: { table: 'readwrite', email: true },
    trigger: { kind: 'ticketQueue' },
  },
  'sweep-outbox': {
    entry: 'sweep-outbox.ts',
    needs: { table: 'readwrite', ticketQueue: true },
    trigger: { kind: 'schedule', rate: 'rate(1 minute)' },
  },
  openapi: { entry: 'openapi.ts', needs: {} },
  // Readwrite only for the per-source throttle counters; showing the page never changes an invitation.
  'invite-page': { entry: 'invite-page.ts', needs: { table: 'readwrite', linkWrites: ['throttle'] } },
  'invite-page-action': {
    entry: 'invite-page-action.ts',
    needs: { table: 'readwrite', linkWrites: ['throttle', 'verify', 'accept'], accountKey: true, ticketQueue: true },
  },
} satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;

export type Method = 'GET' | 'POST' | 'HEAD';

export interface Route {
  method: Method;
  /** API Gateway path syntax: `{name}` is one path segment. */
  path: string;
  function: FunctionName;
  access: Access;
}

export const routes: readonly Route[] = [
  { method: 'POST', path: '/households', function: 'create-household', access: 'advisor' },
  { method: 'GET', path: '/households', function: 'list-households', access: 'advisor' },
  { method: 'GET', path: '/households/{householdId}', function: 'get-household', access: 'advisor' },
  { method: 'POST', path: '/households/{householdId}/accounts', function: 'link-account', access: 'advisor' },
  { method: 'POST', path: '/households/{householdId}/invitations', function: 'send-invitation', access: 'advisor' },
  { method: 'GET', path: '/households/{householdId}/invitations', function: 'list-invitations', access: 'advisor' },
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
  { method: 'GET', path: '/portal/invitations/{token}', function: 'view-invitation', access: 'invitation' },
  { method: 'POST', path: '/portal/invitations/{token}/verify', function: 'verify-identity', access: 'invitation' },
  { method: 'POST', path: '/portal/invitations/{token}/accept', function: 'accept-invitation', access: 'invitation' },
  { method: 'GET', path: '/ops/tickets', function: 'list-tickets', access: 'ops' },
  { method: 'GET', path: '/ops/tickets/{ticketId}', function: 'get-ticket', access: 'ops' },
  { method: 'POST', path: '/ops/tickets/{ticketId}/approve', function: 'approve-verification', access: 'ops' },
  { method: 'POST', path: '/ops/tickets/{ticketId}/reject', function: 'reject-verification', access: 'ops' },
  { method: 'GET', path: '/openapi.json', function: 'openapi', access: 'public' },
  // The server-rendered page behind the emailed link (SPEC 5): the token in the path is the credential.
  { method: 'GET', path: '/invite/{token}', function: 'invite-page', access: 'invitation' },
  { method: 'HEAD', path: '/invite/{token}', function: 'invite-page', access: 'invitation' },
  { method: 'POST', path: '/invite/{token}/verify', function: 'invite-page-action', access: 'invitation' },
  { method: 'POST', path: '/invite/{token}/accept', function: 'invite-page-action', access: 'invitation' },
];

/** Routes that need a verified JWT (the HTTP API JWT authorizer in AWS). */
export const needsJwt = (route: Route): boolean => route.access === 'advisor' || route.access === 'ops';
