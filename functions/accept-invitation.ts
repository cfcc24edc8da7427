import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { noBody } from '#lib/schemas/common.ts';
import { tokenParams } from '#lib/schemas/invitations.ts';
import { acceptInvitation } from '#lib/use-cases/accept-invitation.ts';
import { attempts, idempotency, invitations, wire } from '#lib/wiring.ts';

const deps = wire('accept-invitation', idempotency, invitations, attempts);

export const handler = httpRoute({
  idempotency: deps.idempotency,
  params: tokenParams,
  body: noBody,
  run: async ({ params, event, requestId }) =>
    ok({ portalAccess: await acceptInvitation({ ...deps, requestId }, params.token, event.requestContext.http.sourceIp) }),
});
