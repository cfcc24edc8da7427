import { ok } from '#lib/http/response.ts';
import { idempotencyKeys } from '#lib/http/middlewares/idempotency.ts';
import { httpRoute } from '#lib/http/route.ts';
import { ticketParams } from '#lib/schemas/invitations.ts';
import { claimTicket } from '#lib/use-cases/claim-ticket.ts';
import { idempotency, ticketChanges, ticketReads, wire } from '#lib/wiring.ts';
import { callerFromClaims } from '#lib/http/middlewares/caller.ts';

const deps = wire('claim-ticket', idempotency, ticketReads, ticketChanges);

// Claiming a ticket one already holds changes nothing; the Idempotency-Key replays the first answer, as on every POST.
export const handler = httpRoute({
  idempotency: idempotencyKeys(deps.idempotency),
  caller: callerFromClaims('ops'),
  params: ticketParams,
  run: async ({ caller, params, requestId }) => ok({ ticket: await claimTicket({ ...deps, requestId }, caller, params.ticketId) }),
});
