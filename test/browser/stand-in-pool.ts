// A stand-in for a Cognito user pool's hosted sign-in, for the console's code exchange: a real HTTP server with
// /oauth2/authorize (signs in whoever the test names), /oauth2/token (checks the PKCE verifier against the
// challenge, single-use codes), the JWKS, and /logout. It issues RS256 ID tokens shaped like Cognito's.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

export interface PoolUser {
  sub: string;
  email?: string;
  groups: string[];
  /** As an advisor who is also in ops carries: the console must not read it. */
  firmId?: string;
}

interface IssuedCode {
  challenge: string;
  nonce: string;
  redirectUri: string;
  clientId: string;
  user: PoolUser;
}

export interface StandInPool {
  url: string;
  clientId: string;
  /** Who the next authorize request signs in. */
  user: PoolUser;
  /** Changes to the next ID token's claims, or another key to sign it with, for the refusals. */
  tamper: { claims?: JWTPayload; key?: CryptoKey; expiresIn?: string };
  /** Answers the token endpoint with this status instead (a pool outage). */
  tokenStatus: number | undefined;
  /** Makes every issued code's challenge wrong: a verifier that does not match. */
  breakChallenges: boolean;
  tokenRequests: number;
  stop(): Promise<void>;
}

const base64urlSha256 = (text: string) => createHash('sha256').update(text, 'ascii').digest('base64url');

export const startStandInPool = async (): Promise<StandInPool> => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'stand-in-1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, IssuedCode>();
  let server: Server;
  const pool: StandInPool = {
    url: '',
    clientId: 'console-client-standin',
    user: { sub: 'ops-standin-user', email: 'ops.standin@platform.test', groups: ['ops'] },
    tamper: {},
    tokenStatus: undefined,
    breakChallenges: false,
    tokenRequests: 0,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const idToken = (code: IssuedCode) =>
    new SignJWT({
      iss: pool.url,
      aud: code.clientId,
      sub: code.user.sub,
      token_use: 'id',
      email: code.user.email,
      'cognito:groups': code.user.groups,
      ...(code.user.firmId ? { 'custom:firmId': code.user.firmId } : {}),
      nonce: code.nonce,
      ...pool.tamper.claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
      .setIssuedAt()
      .setExpirationTime(pool.tamper.expiresIn ?? '5m')
      .sign(pool.tamper.key ?? privateKey);

  server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', pool.url);
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/jwks.json') return json(200, { keys: [jwk] });
    if (url.pathname === '/oauth2/authorize') {
      const q = url.searchParams;
      if (q.get('response_type') !== 'code' || q.get('client_id') !== pool.clientId || q.get('code_challenge_method') !== 'S256') {
        return json(400, { error: 'invalid_request' });
      }
      const code = randomBytes(16).toString('hex');
      codes.set(code, {
        challenge: pool.breakChallenges ? 'x'.repeat(43) : q.get('code_challenge')!,
        nonce: q.get('nonce')!,
        redirectUri: q.get('redirect_uri')!,
        clientId: q.get('client_id')!,
        user: pool.user,
      });
      response.writeHead(302, { location: `${q.get('redirect_uri')}?${new URLSearchParams({ code, state: q.get('state')! })}` });
      return response.end();
    }
    if (url.pathname === '/oauth2/token' && request.method === 'POST') {
      pool.tokenRequests += 1;
      if (pool.tokenStatus) return json(pool.tokenStatus, { error: 'server_error' });
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const issued = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const valid =
        issued &&
        form.get('grant_type') === 'authorization_code' &&
        form.get('client_id') === issued.clientId &&
        form.get('redirect_uri') === issued.redirectUri &&
        base64urlSha256(form.get('code_verifier') ?? '') === issued.challenge;
      if (!valid) return json(400, { error: 'invalid_grant' });
      return json(200, { id_token: await idToken(issued), access_token: 'opaque', token_type: 'Bearer', expires_in: 300 });
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  pool.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return pool;
};
