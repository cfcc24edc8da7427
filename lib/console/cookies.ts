// The console's two cookies, in the shape every session cookie has (lib/sessions/cookies.ts).
import { setCookie } from '../sessions/cookies.ts';
import { sessionLimits } from '../sessions/server-session.ts';

export { clearCookie, cookieValue, setCookie } from '../sessions/cookies.ts';

export const sessionCookie = '__Host-ops_session';
export const signInCookie = '__Host-ops_sign_in';

/** How long a started sign-in may take, from the console to the hosted page and back. */
export const signInLifetimeSeconds = 10 * 60;

export const sessionCookieFor = (id: string): string => setCookie(sessionCookie, id, sessionLimits.absoluteMs / 1000);
