import { dynamoIdempotency } from '#lib/adapters/dynamodb/idempotency.ts';
import { verifyDeps } from '#lib/adapters/verify-deps.ts';
import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { tokenParams, verifyBody } from '#lib/schemas/invitations.ts';
import { verifyIdentity } from '#lib/use-cases/verify-identity.ts';

export const handler = httpRoute({
  idempotency: dynamoIdempotency,
  params: tokenParams,
  body: verifyBody,
  run: async ({ params, body, event }) => ok({ invitation: await verifyIdentity(verifyDeps, params.token, body.accountNumber, event.requestContext.http.sourceIp) }),
});
