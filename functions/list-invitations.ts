import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { listQuery } from '#lib/schemas/common.ts';
import { householdParams } from '#lib/schemas/households.ts';
import { listInvitations } from '#lib/use-cases/list-invitations.ts';
import { householdReads, invitationList, signListCursors, wire } from '#lib/wiring.ts';
import { callerFromClaims } from '#lib/http/middlewares/caller.ts';

signListCursors();
const deps = wire('list-invitations', householdReads, invitationList);

export const handler = httpRoute({
  caller: callerFromClaims('advisors'),
  params: householdParams,
  query: listQuery,
  run: async ({ caller, params, query }) => ok(await listInvitations(deps, caller, params.householdId, query)),
});
