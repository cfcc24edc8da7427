import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { listTicketsQuery } from '#lib/schemas/invitations.ts';
import { listTickets } from '#lib/use-cases/review-tickets.ts';
import { signListCursors, ticketWorkList, wire } from '#lib/wiring.ts';
import { callerFromClaims } from '#lib/http/middlewares/caller.ts';

signListCursors();
const deps = wire('list-tickets', ticketWorkList);

export const handler = httpRoute({
  caller: callerFromClaims('ops'),
  query: listTicketsQuery,
  run: async ({ caller, query }) => ok(await listTickets(deps, caller, query)),
});
