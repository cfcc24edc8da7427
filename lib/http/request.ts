import { AppError, type ErrorCode } from '../domain/errors.ts';
import { check, type Detail, type Output, type Schema } from '../schemas/validate.ts';

export const maxBodyBytes = 1024 * 1024;

export interface RawRequest {
  headers: Record<string, string | undefined>;
  body?: string | undefined;
  isBase64Encoded?: boolean;
}

const jsonType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

/** The API's validation error: one detail per offending field, its path under `prefix` (body, query, form). */
export const validationFailure = (details: Detail[], prefix: string, code: ErrorCode = 'validation_error'): AppError =>
  new AppError(
    code,
    'The request is not valid',
    details.map((detail) => ({ path: detail.path === '' ? prefix : `${prefix}.${detail.path}`, message: detail.message })),
  );

/** The body as text: bounded in size, JSON by content type, or absent. */
export const bodyText = (request: RawRequest): string | undefined => {
  const raw = request.body;
  if (raw === undefined || raw === '') return undefined;
  const bytes = request.isBase64Encoded ? Math.floor((raw.length * 3) / 4) : Buffer.byteLength(raw, 'utf8');
  if (bytes > maxBodyBytes) throw new AppError('payload_too_large', `The body must be at most ${maxBodyBytes} bytes`);
  const text = request.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (text.trim() === '') return undefined;
  const type = request.headers['content-type'];
  if (type === undefined || !jsonType.test(type.trim())) {
    throw new AppError('unsupported_media_type', 'Send the body as application/json');
  }
  return text;
};

export const parseJsonBody = <T extends Schema>(request: RawRequest, schema: T): Output<T> => {
  const text = bodyText(request);
  let value: unknown = {};
  if (text !== undefined) {
    try {
      value = JSON.parse(text);
    } catch {
      throw new AppError('invalid_json', 'The body is not valid JSON');
    }
  }
  const result = check(schema, value);
  if (!result.success) throw validationFailure(result.details, 'body');
  return result.data;
};
