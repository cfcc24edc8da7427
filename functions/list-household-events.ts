import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { listQuery } from '#lib/schemas/common.ts';
import { householdParams } from '#lib/schemas/households.ts';
import { listHouseholdEvents } from '#lib/use-cases/list-household-events.ts';
import { auditTrail, householdReads, signListCursors, wire } from '#lib/wiring.ts';
import { callerFromClaims } from '#lib/http/middlewares/caller.ts';

signListCursors();
const deps = wire('list-household-events', householdReads, auditTrail);

export const handler = httpRoute({
  caller: callerFromClaims('advisors'),
  params: householdParams,
  query: listQuery,
  run: async ({ caller, params, query }) => ok(await listHouseholdEvents(deps, caller, params.householdId, query)),
});
