// The one route table: the CDK stack and the local server both read it, so the two cannot drift.

/** Who may call a route: a Cognito group, or whoever holds an invitation link. */
export type Access = 'advisor' | 'ops' | 'invitation' | 'public';

/** What a function touches; the CDK stack turns each into a grant plus its env var. */
export interface FunctionNeeds {
  table?: 'read' | 'readwrite';
  /** Sends verification-bypass ticket requests to the ops queue. */
  ticketQueue?: true;
  /** Sends email through SES. */
  email?: true;
  /** Hashes account numbers with the firm-wide HMAC key. */
  accountKey?: true;
}

export interface FunctionSpec {
  /** File under functions/ that exports `handler`. */
  entry: string;
  needs: FunctionNeeds;
}

export const functions = {
  'create-household': { entry: 'create-household.ts', needs: { table: 'readwrite', accountKey: true } },
  'list-households': { entry: 'list-households.ts', needs: { table: 'read' } },
  'get-household': { entry: 'get-household.ts', needs: { table: 'read' } },
  'link-account': { entry: 'link-account.ts', needs: { table: 'readwrite', accountKey: true } },
  openapi: { entry: 'openapi.ts', needs: {} },
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
  { method: 'GET', path: '/openapi.json', function: 'openapi', access: 'public' },
];

/** Routes that need a verified JWT (the HTTP API JWT authorizer in AWS). */
export const needsJwt = (route: Route): boolean => route.access === 'advisor' || route.access === 'ops';
