import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';

// The one Powertools Logger of the process: one JSON line per event, with the invocation's request id, function
// name and cold start once lib/observability.ts injects the Lambda context. Callers log ids and outcomes, never
// emails, names, tokens or account numbers.

/** Debug lines for this share of invocations (LOG_SAMPLE_RATE, 0 to 1): some in AWS, none on a laptop or in tests. */
const sampleRate = (): number => {
  const configured = Number(process.env.LOG_SAMPLE_RATE);
  if (process.env.LOG_SAMPLE_RATE !== undefined && configured >= 0 && configured <= 1) return configured;
  return process.env.AWS_LAMBDA_FUNCTION_NAME === undefined ? 0 : 0.01;
};

/** LOG_LEVEL (local runs, tests), else the level set on the function; in AWS Powertools follows AWS_LAMBDA_LOG_LEVEL. */
const level = (process.env.LOG_LEVEL ?? process.env.AWS_LAMBDA_LOG_LEVEL ?? 'INFO').toUpperCase() as LogLevel;

export const logger = new Logger({
  serviceName: process.env.SERVICE_NAME ?? 'portal-onboarding',
  logLevel: level,
  sampleRateValue: sampleRate(),
});
