import { created } from '#lib/http/response.ts';
import { idempotencyKeys } from '#lib/http/middlewares/idempotency.ts';
import { httpRoute } from '#lib/http/route.ts';
import { householdParams } from '#lib/schemas/households.ts';
import { createInvitationBody } from '#lib/schemas/invitations.ts';
import { sendInvitation } from '#lib/use-cases/send-invitation.ts';
import { eventBus, householdReads, idempotency, invitationChanges, invitationCreation, invitationReads, mail, ticketQueue, wire } from '#lib/wiring.ts';
import { callerFromClaims } from '#lib/http/middlewares/caller.ts';

const deps = wire('send-invitation', idempotency, householdReads, invitationReads, invitationCreation, invitationChanges, mail, ticketQueue, eventBus);

export const handler = httpRoute({
  idempotency: idempotencyKeys(deps.idempotency),
  caller: callerFromClaims('advisors'),
  params: householdParams,
  body: createInvitationBody,
  run: async ({ caller, params, body, marker, requestId }) =>
    created({ invitation: await sendInvitation({ ...deps, requestId }, caller, params.householdId, body, marker) }),
});
