import * as config from '#lib/config.ts';
import { openApiDocument } from '#lib/openapi/document.ts';
import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';

let document: unknown;

export const handler = httpRoute({
  run: async () => {
    // Built on first use, not at import, so a cold start pays nothing until someone asks. The server URL is the
    // configured public base (PORTAL_URL), never a request header: the first caller must not choose it for all.
    document ??= openApiDocument(config.portalUrl());
    return ok(document);
  },
});
