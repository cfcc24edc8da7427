// Local stand-in for the Cognito user pool and the HTTP API JWT authorizer: same claims, local key.
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import { signingKeys } from './keys.ts';

export const localIssuer = 'https://portal-onboarding.local/issuer';
export const localAudience = 'portal-onboarding-local';

export type Role = 'advisor' | 'ops';

export interface TokenRequest {
  /** One group, or several for a person in more than one (an advisor who also works the ops queue). */
  role: Role | readonly Role[];
  /** The advisor's firm (custom:firmId). An ops member needs none; one given is still signed, and ops routes ignore it. */
  firmId?: string | undefined;
  sub?: string | undefined;
  email?: string | undefined;
  firmName?: string | undefined;
  expiresIn?: string;
}

const groupOf: Record<Role, string> = { advisor: 'advisors', ops: 'ops' };

/** A Cognito-shaped ID token: groups in `cognito:groups`, an advisor's tenant in `custom:firmId`. */
export const signLocalToken = async (request: TokenRequest): Promise<string> => {
  const roles: readonly Role[] = typeof request.role === 'string' ? [request.role] : request.role;
  if (roles.includes('advisor') && !request.firmId) throw new Error('An advisor token names a firm: advisors work inside one');
  const { privateKey } = await signingKeys();
  return new SignJWT({
    'cognito:groups': roles.map((role) => groupOf[role]),
    ...(request.firmId ? { 'custom:firmId': request.firmId } : {}),
    ...(request.firmName ? { 'custom:firmName': request.firmName } : {}),
    ...(request.email ? { email: request.email } : {}),
    token_use: 'id',
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
    .setSubject(request.sub ?? [...roles, request.firmId].filter(Boolean).join('-'))
    .setIssuer(localIssuer)
    .setAudience(localAudience)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '12h')
    .sign(privateKey);
};

/** The authorizer hands claims to the Lambda as strings, arrays flattened to "[a b]". */
export const asGatewayClaims = (payload: JWTPayload): Record<string, string> =>
  Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      Array.isArray(value) ? `[${value.join(' ')}]` : typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );

/** Verifies as the HTTP API JWT authorizer does: signature, issuer, audience, expiry; only ES256. */
export const verifyBearer = async (header: string | undefined): Promise<Record<string, string> | undefined> => {
  const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const { publicKey } = await signingKeys();
  try {
    const { payload } = await jwtVerify(match[1], publicKey, {
      issuer: localIssuer,
      audience: localAudience,
      algorithms: ['ES256'],
    });
    return asGatewayClaims(payload);
  } catch {
    return undefined;
  }
};
