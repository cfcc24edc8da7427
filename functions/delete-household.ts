import { idempotencyKeys } from '#lib/http/middlewares/idempotency.ts';
import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { householdParams } from '#lib/schemas/households.ts';
import { deleteHouseholdOf } from '#lib/use-cases/delete-household.ts';
import { documentFiles, eventBus, householdDeletion, idempotency, invitationEndings, invitationReads, wire } from '#lib/wiring.ts';
import { callerFromClaims } from '#lib/http/middlewares/caller.ts';

const deps = wire('delete-household', idempotency, householdDeletion, invitationReads, invitationEndings, documentFiles, eventBus);

export const handler = httpRoute({
  idempotency: idempotencyKeys(deps.idempotency),
  caller: callerFromClaims('advisors'),
  params: householdParams,
  run: async ({ caller, params, requestId, remainingMs }) =>
    ok({ household: await deleteHouseholdOf({ ...deps, requestId, remainingMs }, caller, params.householdId) }),
});
