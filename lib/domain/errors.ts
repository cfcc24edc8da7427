// The error codes of the API contract (SPEC §5) and the HTTP status each one means.

export const errorStatus = {
  validation_error: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  /** What was asked for existed and was deleted on purpose (a document past its retention). */
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_account_number: 422,
  idempotency_key_reused: 422,
  locked: 423,
  rate_limited: 429,
  internal_error: 500,
  email_send_failed: 502,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface ErrorDetail {
  path?: string;
  message: string;
  [key: string]: unknown;
}

/** A failure the caller can understand and act on; anything else becomes internal_error. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];

  constructor(code: ErrorCode, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound = (what: string): AppError => new AppError('not_found', `${what} not found`);
export const conflict = (message: string): AppError => new AppError('conflict', message);
