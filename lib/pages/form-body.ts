import { AppError } from '../domain/errors.ts';
import { validationFailure, type RawRequest } from '../http/request.ts';
import { check, type Output, type Schema } from '../schemas/validate.ts';

/** The page's forms carry one short field; anything bigger is not one of them. */
export const maxFormBytes = 4 * 1024;

const formType = /^application\/x-www-form-urlencoded\s*(?:;.*)?$/i;

/**
 * An HTML form post (application/x-www-form-urlencoded), checked with the same schema as the
 * JSON route. An empty body is an empty form, which is what a browser sends for a button alone.
 */
export const parseFormBody = <T extends Schema>(request: RawRequest, schema: T): Output<T> => {
  const raw = request.body ?? '';
  const bytes = request.isBase64Encoded ? Math.floor((raw.length * 3) / 4) : Buffer.byteLength(raw, 'utf8');
  if (bytes > maxFormBytes) throw new AppError('payload_too_large', `The form must be at most ${maxFormBytes} bytes`);
  const text = request.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  // A Map, not an object, so a field named __proto__ is just a field (and then refused as unknown).
  const fields = new Map<string, string>();
  if (text.trim() !== '') {
    const type = request.headers['content-type'];
    if (type === undefined || !formType.test(type.trim())) {
      throw new AppError('unsupported_media_type', 'Send the form as application/x-www-form-urlencoded');
    }
    for (const [name, value] of new URLSearchParams(text)) {
      // A field given twice is ambiguous; refuse it rather than pick one.
      if (fields.has(name)) {
        throw new AppError('validation_error', 'The form is not valid', [{ path: `form.${name}`, message: 'is given more than once' }]);
      }
      fields.set(name, value);
    }
  }
  const result = check(schema, Object.fromEntries(fields));
  if (!result.success) throw validationFailure(result.details, 'form');
  return result.data;
};
