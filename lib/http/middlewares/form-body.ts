import { AppError } from '../../domain/errors.ts';
import { parseFormBody } from '../../pages/form-body.ts';
import type { Schema } from '../../schemas/validate.ts';
import type { HttpEvent, HttpMiddleware } from './http-request.ts';

/**
 * An HTML form post, read before any use case runs: a field given twice is refused, `__proto__` is just a field.
 * A form it cannot read is not an error of the request: the page re-renders itself with a notice, so the
 * outcome goes on the context either way.
 */
export const formBody = (schemaFor: (event: HttpEvent) => Schema): HttpMiddleware => ({
  before: ({ event, context }) => {
    try {
      context.form = { ok: true, data: parseFormBody(event, schemaFor(event)) };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      context.form = { ok: false, problem: error };
    }
  },
});
