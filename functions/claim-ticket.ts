import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { ticketParams } from '#lib/schemas/invitations.ts';
import { claimTicket } from '#lib/use-cases/claim-ticket.ts';
import { tickets, wire } from '#lib/wiring.ts';

const deps = wire('claim-ticket', tickets);

// Claiming a ticket one already holds changes nothing, so a retried claim needs no Idempotency-Key.
export const handler = httpRoute({
  group: 'ops',
  params: ticketParams,
  run: async ({ caller, params, requestId }) => ok({ ticket: await claimTicket({ ...deps, requestId }, caller, params.ticketId) }),
});
