// Tells a dependency's bad minute (answer 502/503, retry later) from a bug of ours (500).

const transientNames = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

export const isUnavailable = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const meta = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  if (meta?.httpStatusCode !== undefined && meta.httpStatusCode >= 500) return true;
  if (transientNames.has(error.name)) return true;
  const code = (error as { code?: string }).code;
  return code !== undefined && networkCodes.has(code);
};

/** Connection settings for every SDK client: fail fast so the API can answer 503 inside its time budget. */
export const clientDefaults = {
  maxAttempts: 3,
  // Without throwOnRequestTimeout the SDK only logs a warning and keeps waiting on a stalled endpoint.
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true },
} as const;
