import { dynamoIdempotency } from '#lib/adapters/dynamodb/idempotency.ts';
import { dynamoHouseholds } from '#lib/adapters/dynamodb/households.ts';
import { dynamoInvitations } from '#lib/adapters/dynamodb/invitations.ts';
import { sesMailer } from '#lib/adapters/ses.ts';
import { sqsTicketQueue } from '#lib/adapters/sqs.ts';
import { config } from '#lib/config.ts';
import { created } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { householdParams } from '#lib/schemas/households.ts';
import { createInvitationBody } from '#lib/schemas/invitations.ts';
import { sendInvitation } from '#lib/use-cases/send-invitation.ts';

const deps = {
  households: dynamoHouseholds,
  invitations: dynamoInvitations,
  mailer: sesMailer,
  ticketQueue: sqsTicketQueue,
  portalUrl: config.portalUrl,
  expiryDays: config.inviteExpiryDays,
  now: () => new Date(),
};

export const handler = httpRoute({
  idempotency: dynamoIdempotency,
  group: 'advisors',
  params: householdParams,
  body: createInvitationBody,
  run: async ({ caller, params, body, marker }) => created({ invitation: await sendInvitation(deps, caller, params.householdId, body, marker) }),
});
