import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { listHouseholdsQuery } from '#lib/schemas/households.ts';
import { listHouseholds } from '#lib/use-cases/list-households.ts';
import { householdList, signListCursors, wire } from '#lib/wiring.ts';
import { callerFromClaims } from '#lib/http/middlewares/caller.ts';

signListCursors();
const deps = wire('list-households', householdList);

export const handler = httpRoute({
  caller: callerFromClaims('advisors'),
  query: listHouseholdsQuery,
  run: async ({ caller, query }) => ok(await listHouseholds(deps, caller, query)),
});
