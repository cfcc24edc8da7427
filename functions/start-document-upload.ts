import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { signedInClient } from '#lib/portal/signed-in-client.ts';
import { startUploadBody, uploadParams } from '#lib/schemas/document-requests.ts';
import { startDocumentUpload } from '#lib/use-cases/start-document-upload.ts';
import { documentRequestChanges, documentRequests, documentUploadForms, portalAccess, portalSessions, wire } from '#lib/wiring.ts';

const deps = wire('start-document-upload', portalSessions, portalAccess, documentRequests, documentRequestChanges, documentUploadForms);

// No Idempotency-Key: each call is a new form for a new key, and only the latest one counts.
export const handler = httpRoute({
  params: uploadParams,
  body: startUploadBody,
  run: async ({ event, params, body }) => ok(await startDocumentUpload(deps, await signedInClient(deps, event), params.requestId, body)),
});
