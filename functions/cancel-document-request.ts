import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { noBody } from '#lib/schemas/common.ts';
import { documentRequestParams } from '#lib/schemas/document-requests.ts';
import { changeDocumentRequest } from '#lib/use-cases/change-document-request.ts';
import { documentRequests, idempotency, wire } from '#lib/wiring.ts';

const deps = wire('cancel-document-request', idempotency, documentRequests);

export const handler = httpRoute({
  idempotency: deps.idempotency,
  group: 'advisors',
  params: documentRequestParams,
  body: noBody,
  run: async ({ caller, params, requestId }) => ok({ item: await changeDocumentRequest({ ...deps, requestId }, caller, params, 'cancel') }),
});
