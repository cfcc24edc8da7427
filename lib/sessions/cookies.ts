// The session cookies' one shape. __Host- means Secure, Path=/ and no Domain, so no other host (a subdomain included)
// can set or overwrite them; HttpOnly keeps them from script; SameSite=Lax keeps them off cross-site posts, while a
// top-level arrival from another site (a hosted sign-in's return, a link in an email) still carries them.
// Secure holds on the local stack too: Chromium stores and sends Secure cookies of http://localhost and 127.0.0.1.

const attributes = 'Path=/; Secure; HttpOnly; SameSite=Lax';

/** Every id set in these cookies: 32 random bytes, base64url (lib/domain/token.ts). */
const idPattern = /^[A-Za-z0-9_-]{43}$/;

export const setCookie = (name: string, value: string, maxAgeSeconds: number): string =>
  `${name}=${value}; ${attributes}; Max-Age=${maxAgeSeconds}`;

export const clearCookie = (name: string): string => `${name}=; ${attributes}; Max-Age=0`;

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
