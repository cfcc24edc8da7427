import { dynamoIdempotency } from '#lib/adapters/dynamodb/idempotency.ts';
import { dynamoInvitations } from '#lib/adapters/dynamodb/invitations.ts';
import { dynamoTickets } from '#lib/adapters/dynamodb/tickets.ts';
import { sesMailer } from '#lib/adapters/ses.ts';
import { config } from '#lib/config.ts';
import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { approveBody, ticketParams } from '#lib/schemas/invitations.ts';
import { approveVerification } from '#lib/use-cases/decide-ticket.ts';

const deps = {
  tickets: dynamoTickets,
  invitations: dynamoInvitations,
  mailer: sesMailer,
  portalUrl: config.portalUrl,
  expiryDays: config.inviteExpiryDays,
  now: () => new Date(),
};

export const handler = httpRoute({
  idempotency: dynamoIdempotency,
  group: 'ops',
  params: ticketParams,
  body: approveBody,
  run: async ({ caller, params, body }) => ok(await approveVerification(deps, caller, params.ticketId, body.note)),
});
