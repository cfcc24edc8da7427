import { ok } from '#lib/http/response.ts';
import { idempotencyKeys } from '#lib/http/middlewares/idempotency.ts';
import { httpRoute } from '#lib/http/route.ts';
import { rejectBody, ticketParams } from '#lib/schemas/invitations.ts';
import { rejectVerification } from '#lib/use-cases/decide-ticket.ts';
import { eventBus, idempotency, invitationReads, invitationReissues, mail, ticketDecisions, ticketReads, wire } from '#lib/wiring.ts';
import { callerFromClaims } from '#lib/http/middlewares/caller.ts';

const deps = wire('reject-verification', idempotency, ticketReads, ticketDecisions, invitationReads, invitationReissues, mail, eventBus);

export const handler = httpRoute({
  idempotency: idempotencyKeys(deps.idempotency),
  caller: callerFromClaims('ops'),
  params: ticketParams,
  body: rejectBody,
  run: async ({ caller, params, body, requestId }) => ok(await rejectVerification({ ...deps, requestId }, caller, params.ticketId, body)),
});
