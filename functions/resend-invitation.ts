import { dynamoIdempotency } from '#lib/adapters/dynamodb/idempotency.ts';
import { dynamoInvitations } from '#lib/adapters/dynamodb/invitations.ts';
import { sesMailer } from '#lib/adapters/ses.ts';
import { config } from '#lib/config.ts';
import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { noBody } from '#lib/schemas/common.ts';
import { invitationParams } from '#lib/schemas/invitations.ts';
import { resendInvitation } from '#lib/use-cases/resend-invitation.ts';

const deps = {
  invitations: dynamoInvitations,
  mailer: sesMailer,
  portalUrl: config.portalUrl,
  expiryDays: config.inviteExpiryDays,
  now: () => new Date(),
};

export const handler = httpRoute({
  idempotency: dynamoIdempotency,
  group: 'advisors',
  params: invitationParams,
  body: noBody,
  run: async ({ caller, params }) => ok({ invitation: await resendInvitation(deps, caller, params) }),
});
