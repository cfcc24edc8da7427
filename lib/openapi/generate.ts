// Writes lib/openapi/document-data.ts, the document GET /openapi.json serves: `npx tsx lib/openapi/generate.ts`.
// Made ahead of time, not in the function, so the function bundles neither zod's JSON Schema conversion nor the
// schemas; test/unit/openapi-document.test.ts fails when the file is stale. The file holds the JSON Brotli-compressed
// (51 KB as JSON, 3.7 KB as base64 Brotli): the function's bundle is its cold start, and it inflates the document
// once, on the first request (about 0.6 ms).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import * as z from 'zod/mini';
import { email, id } from '../schemas/common.ts';
import { createInvitationBody, isoTime } from '../schemas/invitations.ts';
import type { Schema } from '../schemas/validate.ts';
import { routes, type Route } from '../../infra/routes.ts';
import { errorStatus } from '../domain/errors.ts';
import { errorBody, operations } from './operations.ts';

type Json = Record<string, unknown>;

/**
 * What a client should know of a field that its checks, patterns and refinements, do not show. Said here rather
 * than with z.meta in lib/schemas, where every function would bundle zod's metadata registry (0.9 KB each).
 */
const annotations = new Map<Schema, Json>([
  [id, { format: 'uuid' }],
  [email, { format: 'email' }],
  [isoTime, { format: 'date-time' }],
  // Checked by a refine, so that 1e9 is "not a whole number" as zod's z.int() would not say.
  [createInvitationBody.shape.expiresInDays.def.innerType, { type: 'integer' }],
]);

/**
 * Checks JSON Schema cannot say (a transform, the duplicate-account check) are left out, not guessed at.
 * A response may gain fields without breaking clients, so its objects are not closed (zod closes outputs).
 */
const jsonSchema = (schema: Schema, io: 'input' | 'output'): Json => {
  const override = ({ zodSchema, jsonSchema: json }: { zodSchema: Schema; jsonSchema: Json }) => {
    Object.assign(json, annotations.get(zodSchema));
    if (io === 'output' && json.additionalProperties === false) delete json.additionalProperties;
  };
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', override }) as Json;
  return rest;
};

const pathParameters = (path: string) =>
  [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));

const queryParameters = (query: Schema | undefined) => {
  if (!query) return [];
  const schema = jsonSchema(query, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }));
};

const security = (route: Route) => (route.access === 'advisor' || route.access === 'ops' ? [{ cognito: [] }] : []);

const errorContent = (type: 'text/html' | undefined) =>
  type
    ? { [type]: { schema: { type: 'string', description: 'An HTML page saying what went wrong' } } }
    : { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

const errorResponses = (codes: string[], route: Route, type?: 'text/html') => {
  const all = new Set(codes);
  if (route.access === 'advisor' || route.access === 'ops') ['unauthorized', 'forbidden'].forEach((c) => all.add(c));
  if (route.path !== '/openapi.json') ['internal_error', 'service_unavailable'].forEach((c) => all.add(c));
  const byStatus = new Map<number, string[]>();
  for (const code of all) {
    const status = errorStatus[code as keyof typeof errorStatus];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      { description: list.join(', '), content: errorContent(type) },
    ]),
  );
};

const responseHeaders = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]));

/** OpenAPI 3.1, generated from the same schemas that validate requests; lib/openapi/document.ts adds the server. */
export const generateOpenApiDocument = (): Json => {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    const operation = operations[key];
    if (!operation) throw new Error(`no OpenAPI operation for ${key}`);
    const { response } = operation;
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: `${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
      summary: operation.summary,
      tags: [operation.tag],
      security: security(route),
      parameters: [...pathParameters(route.path), ...queryParameters(operation.query)],
      ...(operation.body
        ? { requestBody: { required: true, content: { [operation.bodyType ?? 'application/json']: { schema: jsonSchema(operation.body, 'input') } } } }
        : {}),
      responses: {
        [String(response.status)]: {
          description: response.description,
          ...(response.headers ? { headers: responseHeaders(response.headers) } : {}),
          ...(response.schema
            ? { content: { [response.contentType ?? 'application/json']: { schema: jsonSchema(response.schema, 'output') } } }
            : {}),
        },
        ...errorResponses(operation.errors, route, operation.errorType),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'portal-onboarding', version: '1.0.0', description: 'Onboard client households, prospects included, into the client portal.' },
    paths,
    components: {
      schemas: { Error: jsonSchema(errorBody, 'output') },
      securitySchemes: {
        cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Cognito ID token with cognito:groups and custom:firmId' },
      },
    },
  };
};

const compressed = (json: string) =>
  brotliCompressSync(json, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: json.length } }).toString('base64');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const data = compressed(JSON.stringify(generateOpenApiDocument()));
  writeFileSync(
    fileURLToPath(new URL('document-data.ts', import.meta.url)),
    `// Generated by \`npx tsx lib/openapi/generate.ts\`: the OpenAPI document as JSON, Brotli-compressed, base64.\nexport const compressedDocument =\n  '${data}';\n`,
  );
}
