import { ok } from '#lib/http/response.ts';
import { idempotencyKeys } from '#lib/http/middlewares/idempotency.ts';
import { httpRoute } from '#lib/http/route.ts';
import { approveBody, ticketParams } from '#lib/schemas/invitations.ts';
import { approveVerification } from '#lib/use-cases/decide-ticket.ts';
import { eventBus, idempotency, invitationReads, invitationReissues, mail, ticketDecisions, ticketReads, wire } from '#lib/wiring.ts';
import { callerFromClaims } from '#lib/http/middlewares/caller.ts';

const deps = wire('approve-verification', idempotency, ticketReads, ticketDecisions, invitationReads, invitationReissues, mail, eventBus);

export const handler = httpRoute({
  idempotency: idempotencyKeys(deps.idempotency),
  caller: callerFromClaims('ops'),
  params: ticketParams,
  body: approveBody,
  run: async ({ caller, params, body, requestId }) => ok(await approveVerification({ ...deps, requestId }, caller, params.ticketId, body)),
});
