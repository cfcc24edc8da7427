import { openApiDocument } from '#lib/openapi/document.ts';
import { ok } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';

let document: unknown;

export const handler = httpRoute({
  run: async ({ event }) => {
    // Built on first use, not at import, so a cold start pays nothing until someone asks.
    document ??= openApiDocument(`${event.headers['x-forwarded-proto'] ?? 'https'}://${event.requestContext.domainName}`);
    return ok(document);
  },
});
