import { compressedDocument } from './document-data.ts';

/**
 * The OpenAPI 3.1 document, made from the request and response schemas ahead of time (lib/openapi/generate.ts),
 * with the API's public base URL as its server. node:zlib is loaded on the first call, not at import: loading it
 * costs a cold start about 4 ms, a quarter of this function's import.
 */
export const openApiDocument = (serverUrl?: string): Record<string, unknown> => {
  const { brotliDecompressSync } = process.getBuiltinModule('node:zlib');
  const { openapi, info, ...rest } = JSON.parse(brotliDecompressSync(Buffer.from(compressedDocument, 'base64')).toString('utf8'));
  return { openapi, info, ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}), ...rest };
};
