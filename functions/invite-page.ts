import { httpRoute } from '#lib/http/route.ts';
import { showInvitePage } from '#lib/pages/invite-page-actions.ts';
import { pageSecurityHeaders } from '#lib/http/middlewares/page-security-headers.ts';
import { pageStyleSrc } from '#lib/pages/page-document.ts';
import { attempts, invitationReads, wire } from '#lib/wiring.ts';

const deps = wire('invite-page', invitationReads, attempts);

// GET and HEAD both land here; the gateway drops the body of a HEAD answer, so its headers match GET's exactly.
export const handler = httpRoute({
  page: pageSecurityHeaders({ styleSrc: pageStyleSrc }),
  run: ({ event }) => showInvitePage(deps, event.pathParameters?.token ?? '', event.requestContext.http.sourceIp),
});
