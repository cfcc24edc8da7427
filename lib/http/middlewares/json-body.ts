import type { Schema } from '../../schemas/validate.ts';
import { parseJsonBody } from '../request.ts';
import type { HttpMiddleware } from './http-request.ts';

/**
 * The body, bounded, JSON by content type and checked against `schema`, on the context. Own rather than
 * @middy/http-json-body-parser, which answers bad JSON with 422 (the contract says 400 invalid_json), refuses an
 * empty body (here it is `{}`), has no size limit (413) and refuses `__proto__` keys itself, before the schema.
 */
export const jsonBody = (schema: Schema): HttpMiddleware => ({
  before: ({ event, context }) => {
    context.body = parseJsonBody(event, schema);
  },
});
