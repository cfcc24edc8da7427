import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { documentRequestParams } from '#lib/schemas/document-requests.ts';
import { downloadDocument } from '#lib/use-cases/download-document.ts';
import { documentDownloadLinks, documentRequests, downloadRecords, householdReads, wire } from '#lib/wiring.ts';
import { callerFromClaims } from '#lib/http/middlewares/caller.ts';

const deps = wire('download-document', documentRequests, downloadRecords, documentDownloadLinks, householdReads);

export const handler = httpRoute({
  caller: callerFromClaims('advisors'),
  params: documentRequestParams,
  run: async ({ caller, params, requestId }) => ok(await downloadDocument({ ...deps, requestId }, caller, params)),
});
