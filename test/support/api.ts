import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { localAudience, localIssuer, signLocalToken, type Role } from '../../infra/local/jwt.ts';
import { signingKeys } from '../../infra/local/keys.ts';

export const apiUrl = () => inject('apiUrl');

export interface CallOptions {
  token?: string | undefined;
  body?: unknown;
  /** Sent as is, without JSON encoding. */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Another stack than the shared one (fault tests run their own). */
  baseUrl?: string;
}

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export const call = async <T = any>(method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> => {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${options.baseUrl ?? apiUrl()}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
};

/** A fresh firm per test file keeps tests independent while they share one table. */
export const newFirm = () => `firm-${randomUUID().slice(0, 8)}`;

export const tokenFor = (role: Role, firmId: string, extra: { sub?: string; email?: string; firmName?: string } = {}) =>
  signLocalToken({ role, firmId, ...extra });

/** A member of the platform's ops team: in no firm, so the token carries no firm claim at all. */
export const opsToken = (extra: { sub?: string; email?: string } = {}) => signLocalToken({ role: 'ops', ...extra });

/** A token with any claims at all, signed by the local authorizer's key: for hostile claims and people in both groups. */
export const signedToken = async (claims: Record<string, unknown>, sub: string) =>
  new SignJWT({ token_use: 'id', ...claims })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(localIssuer)
    .setAudience(localAudience)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign((await signingKeys()).privateKey);
