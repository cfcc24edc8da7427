import { created } from '#lib/http/response.ts';
import { idempotencyKeys } from '#lib/http/middlewares/idempotency.ts';
import { httpRoute } from '#lib/http/route.ts';
import { createHouseholdBody } from '#lib/schemas/households.ts';
import { createHousehold } from '#lib/use-cases/create-household.ts';
import { accountHasher, eventBus, householdCreation, idempotency, wire } from '#lib/wiring.ts';
import { callerFromClaims } from '#lib/http/middlewares/caller.ts';

const deps = wire('create-household', idempotency, householdCreation, accountHasher, eventBus);

export const handler = httpRoute({
  idempotency: idempotencyKeys(deps.idempotency),
  caller: callerFromClaims('advisors'),
  body: createHouseholdBody,
  run: async ({ caller, body, marker, requestId }) => created({ household: await createHousehold({ ...deps, requestId }, caller, body, marker) }),
});
