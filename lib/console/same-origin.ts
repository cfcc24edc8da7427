// The origin half of the console's CSRF defence (the per-session token is the other): a state-changing post
// must come from a page of the console's own origin, as the browser itself reports it.

type Headers = Record<string, string | undefined>;

/** The console's origin, from configuration (PORTAL_URL), never from the request's Host. */
export const originOf = (portalUrl: string): string => new URL(portalUrl).origin;

/**
 * Browsers send Origin on every POST, and Sec-Fetch-Site on every request; whichever comes must say this origin,
 * and a post with neither (not a browser's form, or a very old browser) is not trusted either.
 */
export const fromOwnOrigin = (headers: Headers, origin: string): boolean => {
  const claimed = headers.origin;
  const site = headers['sec-fetch-site'];
  if (claimed === undefined && site === undefined) return false;
  return (claimed === undefined || claimed === origin) && (site === undefined || site === 'same-origin');
};
