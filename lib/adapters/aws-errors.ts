// Tells a dependency's bad minute (answer 502/503, retry later) from a bug of ours (500), with the SDK's own
// classification: throttling, transient (timeouts, dropped connections, 500/502/503/504) and other 5xx answers.
import { isServerError, isThrottlingError, isTransientError } from '@smithy/service-error-classification';
import { sdkCall } from '../settings/timing.ts';

type Classified = Parameters<typeof isTransientError>[0];

export const isUnavailable = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const sdkError = error as Classified & { $fault?: 'client' | 'server' };
  // $fault is the service model's own verdict (InternalServerError, ServiceUnavailable), even without a status.
  return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError) || sdkError.$fault === 'server';
};

/** Connection settings for every SDK client: fail fast so the API can answer 503 inside its time budget. */
export const clientDefaults = {
  maxAttempts: sdkCall.maxAttempts,
  // Without throwOnRequestTimeout the SDK only logs a warning and keeps waiting on a stalled endpoint.
  requestHandler: { connectionTimeout: sdkCall.connectionTimeoutMs, requestTimeout: sdkCall.requestTimeoutMs, throwOnRequestTimeout: true },
} as const;
