import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { ticketParams } from '#lib/schemas/invitations.ts';
import { getTicket } from '#lib/use-cases/review-tickets.ts';
import { ticketReads, wire } from '#lib/wiring.ts';
import { callerFromClaims } from '#lib/http/middlewares/caller.ts';

const deps = wire('get-ticket', ticketReads);

export const handler = httpRoute({
  caller: callerFromClaims('ops'),
  params: ticketParams,
  run: async ({ caller, params }) => ok({ ticket: await getTicket(deps, caller, params.ticketId) }),
});
