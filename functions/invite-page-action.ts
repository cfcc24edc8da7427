import { formBody } from '#lib/http/middlewares/form-body.ts';
import { httpRoute, type HttpEvent } from '#lib/http/route.ts';
import { submitInviteForm } from '#lib/pages/invite-page-actions.ts';
import { pageSecurityHeaders } from '#lib/http/middlewares/page-security-headers.ts';
import { pageStyleSrc } from '#lib/pages/page-document.ts';
import { noBody } from '#lib/schemas/common.ts';
import { verifyBody } from '#lib/schemas/invitations.ts';
import { sessionsToSignIn } from '#lib/portal/portal-session.ts';
import { accountHasher, attempts, eventBus, householdReads, invitationChanges, invitationReads, portalSessions, restamp, ticketQueue, wire } from '#lib/wiring.ts';

// Verifying through the page's form runs on what the JSON route's verify-identity does; accepting signs the client in.
const deps = wire('invite-page-action', invitationReads, invitationChanges, attempts, householdReads, accountHasher, restamp, ticketQueue, portalSessions, eventBus);

// The page's two form posts; which one is in the route key, the token is in the path.
const actionOf = (event: HttpEvent) => (event.routeKey.endsWith('/verify') ? 'verify' : 'accept');

export const handler = httpRoute({
  page: pageSecurityHeaders({ styleSrc: pageStyleSrc }),
  form: formBody((event) => (actionOf(event) === 'verify' ? verifyBody : noBody)),
  run: ({ event, form, requestId }) =>
    submitInviteForm(
      { ...deps, requestId, portalSessions: sessionsToSignIn(deps, event) },
      actionOf(event),
      event.pathParameters?.token ?? '',
      form,
      event.requestContext.http.sourceIp,
    ),
});
