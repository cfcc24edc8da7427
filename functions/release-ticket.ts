import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { ticketParams } from '#lib/schemas/invitations.ts';
import { releaseTicket } from '#lib/use-cases/claim-ticket.ts';
import { tickets, wire } from '#lib/wiring.ts';

const deps = wire('release-ticket', tickets);

// Releasing a ticket nobody holds changes nothing, so a retried release needs no Idempotency-Key.
export const handler = httpRoute({
  group: 'ops',
  params: ticketParams,
  run: async ({ caller, params, requestId }) => ok({ ticket: await releaseTicket({ ...deps, requestId }, caller, params.ticketId) }),
});
