import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { documentRequestParams } from '#lib/schemas/document-requests.ts';
import { downloadDocument } from '#lib/use-cases/download-document.ts';
import { documentDownloadLinks, documentRequests, downloadRecords, householdReads, wire } from '#lib/wiring.ts';

const deps = wire('download-document', documentRequests, downloadRecords, documentDownloadLinks, householdReads);

export const handler = httpRoute({
  group: 'advisors',
  params: documentRequestParams,
  run: async ({ caller, params, requestId }) => ok(await downloadDocument({ ...deps, requestId }, caller, params)),
});
