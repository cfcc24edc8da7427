import { dynamoTickets } from '#lib/adapters/dynamodb/tickets.ts';
import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { ticketParams } from '#lib/schemas/invitations.ts';
import { getTicket } from '#lib/use-cases/review-tickets.ts';

export const handler = httpRoute({
  group: 'ops',
  params: ticketParams,
  run: async ({ caller, params }) => ok({ ticket: await getTicket({ tickets: dynamoTickets }, caller, params.ticketId) }),
});
