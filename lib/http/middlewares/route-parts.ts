import { AppError } from '../../domain/errors.ts';
import { check, type Schema } from '../../schemas/validate.ts';
import { validationFailure } from '../request.ts';
import type { HttpMiddleware } from './http-request.ts';

/** Checks the path and query: a malformed id names nothing that exists, so it is a 404 like any missing resource. */
export const routeParts = (schemas: { params?: Schema | undefined; query?: Schema | undefined }): HttpMiddleware => ({
  before: ({ event, context }) => {
    if (schemas.params) {
      const params = check(schemas.params, event.pathParameters ?? {});
      if (!params.success) throw new AppError('not_found', 'Not found');
      context.params = params.data;
    }
    if (schemas.query) {
      const query = check(schemas.query, event.queryStringParameters ?? {});
      if (!query.success) throw validationFailure(query.details, 'query');
      context.query = query.data;
    }
  },
});
