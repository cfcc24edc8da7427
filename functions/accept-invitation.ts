import { config } from '#lib/config.ts';
import { dynamoAttemptCounter } from '#lib/adapters/dynamodb/attempt-counter.ts';
import { dynamoIdempotency } from '#lib/adapters/dynamodb/idempotency.ts';
import { dynamoInvitations } from '#lib/adapters/dynamodb/invitations.ts';
import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { noBody } from '#lib/schemas/common.ts';
import { tokenParams } from '#lib/schemas/invitations.ts';
import { acceptInvitation } from '#lib/use-cases/accept-invitation.ts';

const deps = { invitations: dynamoInvitations, attempts: dynamoAttemptCounter, limits: config.throttleLimits, now: () => new Date() };

export const handler = httpRoute({
  idempotency: dynamoIdempotency,
  params: tokenParams,
  body: noBody,
  run: async ({ params, event }) => ok({ portalAccess: await acceptInvitation(deps, params.token, event.requestContext.http.sourceIp) }),
});
