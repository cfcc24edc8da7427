import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { householdParams } from '#lib/schemas/households.ts';
import { listDocumentRequests } from '#lib/use-cases/list-document-requests.ts';
import { documentRequests, householdReads, wire } from '#lib/wiring.ts';
import { callerFromClaims } from '#lib/http/middlewares/caller.ts';

const deps = wire('list-document-requests', householdReads, documentRequests);

export const handler = httpRoute({
  caller: callerFromClaims('advisors'),
  params: householdParams,
  run: async ({ caller, params }) => ok(await listDocumentRequests(deps, caller, params.householdId)),
});
