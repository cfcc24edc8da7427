import { ok } from '#lib/http/response.ts';
import { idempotencyKeys } from '#lib/http/middlewares/idempotency.ts';
import { httpRoute } from '#lib/http/route.ts';
import { addDocumentRequestsBody } from '#lib/schemas/document-requests.ts';
import { householdParams } from '#lib/schemas/households.ts';
import { addDocumentRequests } from '#lib/use-cases/add-document-requests.ts';
import { documentRequestAdditions, documentRequests, householdReads, idempotency, wire } from '#lib/wiring.ts';
import { callerFromClaims } from '#lib/http/middlewares/caller.ts';

const deps = wire('add-document-requests', idempotency, householdReads, documentRequests, documentRequestAdditions);

export const handler = httpRoute({
  idempotency: idempotencyKeys(deps.idempotency),
  caller: callerFromClaims('advisors'),
  params: householdParams,
  body: addDocumentRequestsBody,
  run: async ({ caller, params, body, marker, requestId }) => ok(await addDocumentRequests({ ...deps, requestId }, caller, params.householdId, body.items, marker)),
});
