import { config } from '#lib/config.ts';
import { dynamoAttemptCounter } from '#lib/adapters/dynamodb/attempt-counter.ts';
import { dynamoInvitations } from '#lib/adapters/dynamodb/invitations.ts';
import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { tokenParams } from '#lib/schemas/invitations.ts';
import { viewInvitation } from '#lib/use-cases/view-invitation.ts';

const deps = { invitations: dynamoInvitations, attempts: dynamoAttemptCounter, limits: config.throttleLimits, now: () => new Date() };

export const handler = httpRoute({
  params: tokenParams,
  run: async ({ params, event }) => ok({ invitation: await viewInvitation(deps, params.token, event.requestContext.http.sourceIp) }),
});
