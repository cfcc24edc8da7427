import { pageSecurityHeaders } from '#lib/http/middlewares/page-security-headers.ts';
import { httpRoute } from '#lib/http/route.ts';
import { showSignInLink, signOut, useSignInLink } from '#lib/portal/portal-actions.ts';
import { pageStyleSrc } from '#lib/pages/page-document.ts';
import { attempts, portalAccess, portalSessions, signInLinkUses, wire } from '#lib/wiring.ts';

const deps = wire('portal-sign-in', signInLinkUses, portalAccess, portalSessions, attempts);

// The emailed link's page (GET and HEAD show it, only POST signs in) and sign-out.
export const handler = httpRoute({
  page: pageSecurityHeaders({ styleSrc: pageStyleSrc }),
  run: ({ event }) => {
    if (event.routeKey === 'POST /portal/sign-out') return signOut(deps, event);
    return event.requestContext.http.method === 'POST' ? useSignInLink(deps, event) : showSignInLink(deps, event);
  },
});
