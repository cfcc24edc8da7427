import { ok } from '#lib/http/response.ts';
import { idempotencyKeys } from '#lib/http/middlewares/idempotency.ts';
import { httpRoute } from '#lib/http/route.ts';
import { noBody } from '#lib/schemas/common.ts';
import { tokenParams } from '#lib/schemas/invitations.ts';
import { acceptInvitation } from '#lib/use-cases/accept-invitation.ts';
import { signedInWith, sessionsToSignIn } from '#lib/portal/portal-session.ts';
import { attempts, eventBus, idempotency, invitationAcceptances, invitationReads, portalSessions, wire } from '#lib/wiring.ts';

const deps = wire('accept-invitation', idempotency, invitationReads, invitationAcceptances, attempts, portalSessions, eventBus);

export const handler = httpRoute({
  idempotency: idempotencyKeys(deps.idempotency),
  params: tokenParams,
  body: noBody,
  // Accepting from the portal's own pages signs the client in; the JSON answer is the same either way.
  run: async ({ params, event, requestId }) => {
    const { sessionId, ...portalAccess } = await acceptInvitation(
      { ...deps, requestId, portalSessions: sessionsToSignIn(deps, event) },
      params.token,
      event.requestContext.http.sourceIp,
    );
    return signedInWith(ok({ portalAccess }), sessionId);
  },
});
