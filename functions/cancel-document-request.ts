import { ok } from '#lib/http/response.ts';
import { idempotencyKeys } from '#lib/http/middlewares/idempotency.ts';
import { httpRoute } from '#lib/http/route.ts';
import { noBody } from '#lib/schemas/common.ts';
import { documentRequestParams } from '#lib/schemas/document-requests.ts';
import { changeDocumentRequest } from '#lib/use-cases/change-document-request.ts';
import { documentFiles, documentRequestChanges, documentRequests, idempotency, wire } from '#lib/wiring.ts';
import { callerFromClaims } from '#lib/http/middlewares/caller.ts';

const deps = wire('cancel-document-request', idempotency, documentRequests, documentRequestChanges, documentFiles);

export const handler = httpRoute({
  idempotency: idempotencyKeys(deps.idempotency),
  caller: callerFromClaims('advisors'),
  params: documentRequestParams,
  body: noBody,
  run: async ({ caller, params, requestId }) => ok({ item: await changeDocumentRequest({ ...deps, requestId }, caller, params, 'cancel') }),
});
