import type { MiddlewareObj } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { logger } from './logger.ts';
import { metrics } from './metrics.ts';

/**
 * The metrics line carries the request id too, so a figure leads to the log lines of the invocation that wrote it.
 * Set again just before the flush (middy runs `after` in reverse): locally, one process runs invocations side by
 * side and another's flush clears it.
 */
const metricsRequestId = (): MiddlewareObj<unknown, unknown, Error, Context> => {
  const stamp = ({ context }: { context: Context }) => {
    metrics.addMetadata('function_request_id', context.awsRequestId);
  };
  return { before: stamp, after: stamp, onError: stamp };
};

/**
 * Every function's first middlewares: log lines stamped with the invocation (request id, cold start), debug
 * sampling refreshed per invocation, and the invocation's metrics written as one EMF line when it ends, also
 * on error; an invocation that recorded nothing writes nothing. The event is never logged: it holds emails.
 */
export const observability = () => [
  injectLambdaContext(logger, { logEvent: false, resetKeys: true }),
  logMetrics(metrics, { throwOnEmptyMetrics: false, captureColdStartMetric: false }),
  metricsRequestId(),
];
