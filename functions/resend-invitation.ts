import { ok } from '#lib/http/response.ts';
import { idempotencyKeys } from '#lib/http/middlewares/idempotency.ts';
import { httpRoute } from '#lib/http/route.ts';
import { noBody } from '#lib/schemas/common.ts';
import { invitationParams } from '#lib/schemas/invitations.ts';
import { resendInvitation } from '#lib/use-cases/resend-invitation.ts';
import { idempotency, invitationReads, invitationReissues, mail, wire } from '#lib/wiring.ts';
import { callerFromClaims } from '#lib/http/middlewares/caller.ts';

const deps = wire('resend-invitation', idempotency, invitationReads, invitationReissues, mail);

export const handler = httpRoute({
  idempotency: idempotencyKeys(deps.idempotency),
  caller: callerFromClaims('advisors'),
  params: invitationParams,
  body: noBody,
  run: async ({ caller, params, requestId }) => ok({ invitation: await resendInvitation({ ...deps, requestId }, caller, params) }),
});
