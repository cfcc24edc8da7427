import { pageSecurityHeaders } from '#lib/http/middlewares/page-security-headers.ts';
import { httpRoute } from '#lib/http/route.ts';
import { requestSignIn } from '#lib/portal/portal-actions.ts';
import { pageStyleSrc } from '#lib/pages/page-document.ts';
import { attempts, mail, portalAccess, signInLinks, wire } from '#lib/wiring.ts';

const deps = wire('request-portal-sign-in', portalAccess, signInLinks, attempts, mail);

// POST /portal/sign-in {email}, as JSON or as the sign-in page's form: always 202, whatever the email.
export const handler = httpRoute({
  page: pageSecurityHeaders({ styleSrc: pageStyleSrc }),
  run: ({ event }) => requestSignIn(deps, event),
});
