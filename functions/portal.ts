import { pageSecurityHeaders } from '#lib/http/middlewares/page-security-headers.ts';
import { httpRoute } from '#lib/http/route.ts';
import { showPortal } from '#lib/portal/portal-actions.ts';
import { pageStyleSrc } from '#lib/pages/page-document.ts';
import { portalAccess, portalSessions, wire } from '#lib/wiring.ts';

const deps = wire('portal', portalSessions, portalAccess);

// The client portal page: signed in, the client's households; signed out, the form that asks for a sign-in link.
export const handler = httpRoute({
  page: pageSecurityHeaders({ styleSrc: pageStyleSrc }),
  run: ({ event }) => showPortal(deps, event),
});
