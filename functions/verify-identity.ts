import { ok } from '#lib/http/response.ts';
import { idempotencyKeys } from '#lib/http/middlewares/idempotency.ts';
import { httpRoute } from '#lib/http/route.ts';
import { tokenParams, verifyBody } from '#lib/schemas/invitations.ts';
import { verifyIdentity } from '#lib/use-cases/verify-identity.ts';
import { accountHasher, attempts, eventBus, householdReads, idempotency, invitationChanges, invitationReads, restamp, ticketQueue, wire } from '#lib/wiring.ts';

const deps = wire('verify-identity', idempotency, invitationReads, invitationChanges, attempts, householdReads, accountHasher, restamp, ticketQueue, eventBus);

export const handler = httpRoute({
  idempotency: idempotencyKeys(deps.idempotency),
  params: tokenParams,
  body: verifyBody,
  run: async ({ params, body, event, requestId }) =>
    ok({ invitation: await verifyIdentity({ ...deps, requestId }, params.token, body.accountNumber, event.requestContext.http.sourceIp) }),
});
