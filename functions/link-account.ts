import { created } from '#lib/http/response.ts';
import { idempotencyKeys } from '#lib/http/middlewares/idempotency.ts';
import { httpRoute } from '#lib/http/route.ts';
import { householdParams, newAccount } from '#lib/schemas/households.ts';
import { linkAccount } from '#lib/use-cases/link-account.ts';
import { accountHasher, eventBus, householdAccounts, householdReads, idempotency, wire } from '#lib/wiring.ts';
import { callerFromClaims } from '#lib/http/middlewares/caller.ts';

const deps = wire('link-account', idempotency, householdReads, householdAccounts, accountHasher, eventBus);

export const handler = httpRoute({
  idempotency: idempotencyKeys(deps.idempotency),
  caller: callerFromClaims('advisors'),
  params: householdParams,
  body: newAccount,
  run: async ({ caller, params, body, requestId }) =>
    created({ household: await linkAccount({ ...deps, requestId }, caller, params.householdId, body) }),
});
