// Sign-in through the user pool's hosted pages: authorization code with PKCE (S256). The code is exchanged
// server-side and only the verified ID token's claims are kept, in the console session; no token reaches the browser.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { AppError } from '../domain/errors.ts';
import { hashToken, newToken } from '../domain/token.ts';
import { parseGroups } from '../http/auth.ts';
import { consolePaths } from './paths.ts';
import type { ConsoleUser } from './session.ts';
import { signInLifetimeSeconds } from './cookies.ts';

/** Where the hosted sign-in lives (config.consoleHostedSignIn): the pool's domain, the console's client, the pool's issuer. */
export interface HostedSignIn {
  domain: string;
  clientId: string;
  issuer: string;
}

/** A started sign-in, kept server-side under the hash of the id in the browser's short-lived sign-in cookie. */
export interface PendingSignIn {
  idHash: string;
  state: string;
  /** The PKCE code verifier: never leaves the server. */
  verifier: string;
  nonce: string;
  /** The console page to return to. */
  next: string;
  expiresAt: string;
}

export interface SignInStore {
  begin(pending: PendingSignIn, ttlSeconds: number): Promise<void>;
  /** Reads and deletes in one step, so a callback can be completed once only. */
  take(idHash: string): Promise<PendingSignIn | undefined>;
}

export interface HostedSignInDeps {
  signIns: SignInStore;
  hosted: HostedSignIn;
  portalUrl: string;
  now: () => Date;
  /** The token endpoint is called with this; a test points it at a stand-in server. */
  fetch?: typeof fetch;
}

const redirectUri = (portalUrl: string) => `${portalUrl}${consolePaths.callback}`;

/** Starts a sign-in: what to remember, and where to send the browser (the hosted sign-in page). */
export const beginHostedSignIn = async (deps: HostedSignInDeps, next: string): Promise<{ id: string; location: string }> => {
  const id = newToken();
  const pending: PendingSignIn = {
    idHash: hashToken(id),
    state: newToken(),
    verifier: newToken(),
    nonce: newToken(),
    next,
    expiresAt: new Date(deps.now().getTime() + signInLifetimeSeconds * 1000).toISOString(),
  };
  await deps.signIns.begin(pending, Math.ceil(Date.parse(pending.expiresAt) / 1000));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: deps.hosted.clientId,
    redirect_uri: redirectUri(deps.portalUrl),
    scope: 'openid email',
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: createHash('sha256').update(pending.verifier, 'ascii').digest('base64url'),
    code_challenge_method: 'S256',
  });
  return { id, location: `${deps.hosted.domain}/oauth2/authorize?${query}` };
};

const refused = (message: string) => new AppError('unauthorized', message);
const expired = () => refused('This sign-in has expired or was already used. Please sign in again.');

const sameText = (a: string, b: string) => {
  const [left, right] = [Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')];
  return left.length === right.length && timingSafeEqual(left, right);
};

/** The code for tokens at the pool's token endpoint, with the verifier only this server knows. */
const exchange = async (deps: HostedSignInDeps, code: string, verifier: string): Promise<string> => {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: deps.hosted.clientId,
    code,
    redirect_uri: redirectUri(deps.portalUrl),
    code_verifier: verifier,
  });
  let response: Response;
  try {
    response = await (deps.fetch ?? fetch)(`${deps.hosted.domain}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: body.toString(),
      signal: AbortSignal.timeout(5_000),
    });
  } catch {
    throw new AppError('service_unavailable', 'The sign-in service could not be reached. Please try again shortly.');
  }
  if (response.status >= 500) throw new AppError('service_unavailable', 'The sign-in service is unavailable. Please try again shortly.');
  const tokens = (await response.json().catch(() => undefined)) as { id_token?: unknown } | undefined;
  // A refused code (invalid_grant: reused, expired, or not this verifier's) is the browser's to retry, not our fault.
  if (!response.ok || typeof tokens?.id_token !== 'string') throw refused('The sign-in could not be completed. Please sign in again.');
  return tokens.id_token;
};

// One key set per issuer and container: jose caches the keys and refetches on an unknown key id.
const keySets = new Map<string, JWTVerifyGetKey>();
const keysOf = (issuer: string): JWTVerifyGetKey => {
  let keys = keySets.get(issuer);
  if (!keys) keySets.set(issuer, (keys = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`))));
  return keys;
};

const subPattern = /^[^\p{Cc}\p{Cf}\s]{1,128}$/u;

/** The ID token, checked as the API's authorizer checks its tokens, plus what only this flow can check (nonce). */
const verifiedUser = async (deps: HostedSignInDeps, idToken: string, nonce: string): Promise<ConsoleUser> => {
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(idToken, keysOf(deps.hosted.issuer), {
      issuer: deps.hosted.issuer,
      audience: deps.hosted.clientId,
      algorithms: ['RS256'],
      requiredClaims: ['sub', 'exp', 'iat'],
    }));
  } catch {
    throw refused('The sign-in could not be verified. Please sign in again.');
  }
  if (claims.token_use !== 'id' || typeof claims.nonce !== 'string' || !sameText(claims.nonce, nonce)) {
    throw refused('The sign-in could not be verified. Please sign in again.');
  }
  const sub = claims.sub as string;
  if (!subPattern.test(sub)) throw refused('The sign-in named no valid user.');
  const groups = parseGroups(claims['cognito:groups']).slice(0, 20);
  if (!groups.includes('ops')) throw new AppError('forbidden', 'Your account is not in the ops group, so it cannot use the ops console.');
  const email = typeof claims.email === 'string' && claims.email.length <= 254 ? claims.email : undefined;
  // The ops team works every firm: a firm claim (an advisor who is also in ops has one) is not read.
  return { sub, email, groups };
};

/**
 * Completes a sign-in the hosted page sent back: the pending sign-in is taken (once), its state must match,
 * the code is exchanged with its verifier, and the ID token must be the pool's, for this client, with our nonce,
 * of someone in the ops group.
 */
export const finishHostedSignIn = async (
  deps: HostedSignInDeps,
  cookieId: string | undefined,
  query: Record<string, string | undefined>,
): Promise<{ user: ConsoleUser; next: string }> => {
  if (cookieId === undefined) throw expired();
  const pending = await deps.signIns.take(hashToken(cookieId));
  if (!pending || deps.now().getTime() >= Date.parse(pending.expiresAt)) throw expired();
  if (query.state === undefined || !sameText(query.state, pending.state)) throw expired();
  if (query.error !== undefined || query.code === undefined || query.code.length > 2048) {
    throw refused('Sign-in was cancelled or refused. Please sign in again.');
  }
  const idToken = await exchange(deps, query.code, pending.verifier);
  return { user: await verifiedUser(deps, idToken, pending.nonce), next: pending.next };
};

/** Where the hosted sign-in ends its own session after ours: back to the console's sign-in page. */
export const hostedSignOutLocation = (hosted: HostedSignIn, portalUrl: string, signInPage: string): string =>
  `${hosted.domain}/logout?${new URLSearchParams({ client_id: hosted.clientId, logout_uri: `${portalUrl}${signInPage}` })}`;
