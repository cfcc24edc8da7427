import { brotliDecompressSync } from 'node:zlib';
import { compressedDocument } from './document-data.ts';

/**
 * The OpenAPI 3.1 document, made from the request and response schemas ahead of time (lib/openapi/generate.ts),
 * with the API's public base URL as its server.
 */
export const openApiDocument = (serverUrl?: string): Record<string, unknown> => {
  const { openapi, info, ...rest } = JSON.parse(brotliDecompressSync(Buffer.from(compressedDocument, 'base64')).toString('utf8'));
  return { openapi, info, ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}), ...rest };
};
