// The CSRF defence of the pages behind a session cookie (ops console, client portal): a state-changing post must
// come from a page of their own origin, as the browser itself reports it, and carry the session's token
// (server-session.ts csrfTokenMatches).
import { maxFormBytes } from '../pages/form-body.ts';

type Headers = Record<string, string | undefined>;

/** The pages' origin, from configuration (PORTAL_URL), never from the request's Host. */
export const originOf = (portalUrl: string): string => new URL(portalUrl).origin;

/**
 * Browsers send Sec-Fetch-Site on every request and Origin on every POST, but under the pages' Referrer-Policy
 * no-referrer a form's Origin is "null", which says nothing. Whichever says something must say this origin, and a
 * post where neither does (not a browser's form, or a browser too old for fetch metadata) is not trusted either.
 */
export const fromOwnOrigin = (headers: Headers, origin: string): boolean => {
  const claimed = headers.origin === 'null' ? undefined : headers.origin;
  const site = headers['sec-fetch-site'];
  if (claimed === undefined && site === undefined) return false;
  return (claimed === undefined || claimed === origin) && (site === undefined || site === 'same-origin');
};

const formType = /^application\/x-www-form-urlencoded\s*(?:;.*)?$/i;

/**
 * The post's `csrf` field, read before (and whatever) the rest of the form is: a post without exactly one token
 * is refused as a forgery, never answered as a form with a mistake in it.
 */
export const postedToken = (event: { headers: Headers; body?: string | undefined; isBase64Encoded?: boolean }): string | undefined => {
  const raw = event.body ?? '';
  if (raw.length > maxFormBytes * 2 || !formType.test(event.headers['content-type']?.trim() ?? '')) return undefined;
  const tokens = new URLSearchParams(event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw).getAll('csrf');
  return tokens.length === 1 ? tokens[0] : undefined;
};
