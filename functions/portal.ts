import { pageSecurityHeaders } from '#lib/http/middlewares/page-security-headers.ts';
import { httpRoute } from '#lib/http/route.ts';
import { showPortal } from '#lib/portal/portal-actions.ts';
import { portalPaths } from '#lib/portal/paths.ts';
import { uploadScriptHash, uploadScriptReply, uploadTargetSrc } from '#lib/portal/upload-script.ts';
import { pageStyleSrc } from '#lib/pages/page-document.ts';
import { documentRequests, portalAccess, portalSessions, wire } from '#lib/wiring.ts';

const deps = wire('portal', portalSessions, portalAccess, documentRequests);

// The client portal page: signed in, the client's households and their checklists; signed out, the form that asks
// for a sign-in link. Its one script (the upload forms') is served here too, and is the only script its CSP allows.
export const handler = httpRoute({
  page: pageSecurityHeaders({
    styleSrc: pageStyleSrc,
    scriptSrc: () => `'${uploadScriptHash()}'`,
    connectSrc: () => `'self' ${uploadTargetSrc()}`,
  }),
  run: async ({ event }) => (event.routeKey === `GET ${portalPaths.uploadScript}` ? uploadScriptReply() : showPortal(deps, event)),
});
