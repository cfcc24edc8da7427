import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { listTicketsQuery } from '#lib/schemas/invitations.ts';
import { listTickets } from '#lib/use-cases/review-tickets.ts';
import { signListCursors, tickets, wire } from '#lib/wiring.ts';

signListCursors();
const deps = wire('list-tickets', tickets);

export const handler = httpRoute({
  group: 'ops',
  query: listTicketsQuery,
  run: async ({ caller, query }) => ok(await listTickets(deps, caller, query)),
});
