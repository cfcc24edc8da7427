import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { householdParams } from '#lib/schemas/households.ts';
import { getHousehold } from '#lib/use-cases/get-household.ts';
import { householdReads, wire } from '#lib/wiring.ts';
import { callerFromClaims } from '#lib/http/middlewares/caller.ts';

const deps = wire('get-household', householdReads);

export const handler = httpRoute({
  caller: callerFromClaims('advisors'),
  params: householdParams,
  run: async ({ caller, params }) => ok({ household: await getHousehold(deps, caller, params.householdId) }),
});
