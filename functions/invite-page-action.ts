import { config } from '#lib/config.ts';
import { hmacAccountHasher } from '#lib/adapters/account-hasher.ts';
import { dynamoAttemptCounter } from '#lib/adapters/dynamodb/attempt-counter.ts';
import { dynamoHouseholds } from '#lib/adapters/dynamodb/households.ts';
import { dynamoInvitations } from '#lib/adapters/dynamodb/invitations.ts';
import { sqsTicketQueue } from '#lib/adapters/sqs.ts';
import { httpRoute } from '#lib/http/route.ts';
import { submitInviteForm } from '#lib/pages/invite-page-actions.ts';

const deps = {
  invitations: dynamoInvitations,
  attempts: dynamoAttemptCounter,
  limits: config.throttleLimits,
  households: dynamoHouseholds,
  hasher: hmacAccountHasher,
  ticketQueue: sqsTicketQueue,
  now: () => new Date(),
};

// The page's two form posts; which one is in the route key, the token is in the path.
export const handler = httpRoute({
  run: ({ event }) =>
    submitInviteForm(
      deps,
      event.routeKey.endsWith('/verify') ? 'verify' : 'accept',
      event.pathParameters?.token ?? '',
      event,
      event.requestContext.http.sourceIp,
    ),
});
