import { cursorKeySecret } from '#lib/adapters/cursor-key-secret.ts';
import { signCursorsWith } from '#lib/adapters/dynamodb/cursor.ts';
import { dynamoTickets } from '#lib/adapters/dynamodb/tickets.ts';
import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { listTicketsQuery } from '#lib/schemas/invitations.ts';
import { listTickets } from '#lib/use-cases/review-tickets.ts';

signCursorsWith(cursorKeySecret);

export const handler = httpRoute({
  group: 'ops',
  query: listTicketsQuery,
  run: async ({ caller, query }) => ok(await listTickets({ tickets: dynamoTickets }, caller, query)),
});
