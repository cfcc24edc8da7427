import { config } from '#lib/config.ts';
import { dynamoAttemptCounter } from '#lib/adapters/dynamodb/attempt-counter.ts';
import { dynamoIdempotency } from '#lib/adapters/dynamodb/idempotency.ts';
import { hmacAccountHasher } from '#lib/adapters/account-hasher.ts';
import { dynamoHouseholds } from '#lib/adapters/dynamodb/households.ts';
import { dynamoInvitations } from '#lib/adapters/dynamodb/invitations.ts';
import { sqsTicketQueue } from '#lib/adapters/sqs.ts';
import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { tokenParams, verifyBody } from '#lib/schemas/invitations.ts';
import { verifyIdentity } from '#lib/use-cases/verify-identity.ts';

const deps = {
  invitations: dynamoInvitations,
  attempts: dynamoAttemptCounter,
  limits: config.throttleLimits,
  households: dynamoHouseholds,
  hasher: hmacAccountHasher,
  ticketQueue: sqsTicketQueue,
  now: () => new Date(),
};

export const handler = httpRoute({
  idempotency: dynamoIdempotency,
  params: tokenParams,
  body: verifyBody,
  run: async ({ params, body, event }) => ok({ invitation: await verifyIdentity(deps, params.token, body.accountNumber, event.requestContext.http.sourceIp) }),
});
