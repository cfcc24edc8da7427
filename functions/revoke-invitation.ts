import { ok } from '#lib/http/response.ts';
import { idempotencyKeys } from '#lib/http/middlewares/idempotency.ts';
import { httpRoute } from '#lib/http/route.ts';
import { noBody } from '#lib/schemas/common.ts';
import { invitationParams } from '#lib/schemas/invitations.ts';
import { revokeInvitation } from '#lib/use-cases/revoke-invitation.ts';
import { idempotency, invitationEndings, invitationReads, wire } from '#lib/wiring.ts';
import { callerFromClaims } from '#lib/http/middlewares/caller.ts';

const deps = wire('revoke-invitation', idempotency, invitationReads, invitationEndings);

export const handler = httpRoute({
  idempotency: idempotencyKeys(deps.idempotency),
  caller: callerFromClaims('advisors'),
  params: invitationParams,
  body: noBody,
  run: async ({ caller, params, requestId }) => ok({ invitation: await revokeInvitation({ ...deps, requestId }, caller, params) }),
});
