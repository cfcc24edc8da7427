// The console's two cookies. __Host- means Secure, Path=/ and no Domain, so no other host (a subdomain
// included) can set or overwrite them; HttpOnly keeps them from script; SameSite=Lax keeps them off
// cross-site posts while a top-level return from the hosted sign-in still carries them.
import { sessionLimits } from './session.ts';

export const sessionCookie = '__Host-ops_session';
export const signInCookie = '__Host-ops_sign_in';

/** How long a started sign-in may take, from the console to the hosted page and back. */
export const signInLifetimeSeconds = 10 * 60;

const attributes = 'Path=/; Secure; HttpOnly; SameSite=Lax';

/** Every id this module sets: 32 random bytes, base64url. */
const idPattern = /^[A-Za-z0-9_-]{43}$/;

export const setCookie = (name: string, value: string, maxAgeSeconds: number): string =>
  `${name}=${value}; ${attributes}; Max-Age=${maxAgeSeconds}`;

export const clearCookie = (name: string): string => `${name}=; ${attributes}; Max-Age=0`;

export const sessionCookieFor = (id: string): string => setCookie(sessionCookie, id, sessionLimits.absoluteMs / 1000);

/**
 * The value of one of our cookies from the request's cookies (payload 2.0 `cookies`, "name=value" each).
 * Sent twice, or not in our shape, it names nothing: no guessing which one is meant.
 */
export const cookieValue = (cookies: readonly string[] | undefined, name: string): string | undefined => {
  const values = (cookies ?? [])
    .flatMap((entry) => entry.split(';'))
    .map((pair) => pair.trim())
    .filter((pair) => pair.startsWith(`${name}=`))
    .map((pair) => pair.slice(name.length + 1));
  return values.length === 1 && idPattern.test(values[0]!) ? values[0] : undefined;
};
