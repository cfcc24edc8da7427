import { dynamoIdempotency } from '#lib/adapters/dynamodb/idempotency.ts';
import { dynamoInvitations } from '#lib/adapters/dynamodb/invitations.ts';
import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { noBody } from '#lib/schemas/common.ts';
import { invitationParams } from '#lib/schemas/invitations.ts';
import { revokeInvitation } from '#lib/use-cases/revoke-invitation.ts';

const deps = { invitations: dynamoInvitations, now: () => new Date() };

export const handler = httpRoute({
  idempotency: dynamoIdempotency,
  group: 'advisors',
  params: invitationParams,
  body: noBody,
  run: async ({ caller, params }) => ok({ invitation: await revokeInvitation(deps, caller, params) }),
});
