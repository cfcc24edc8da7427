import type { MiddyOptions } from './middlewares/http-request.ts';
import { AppError } from '../domain/errors.ts';
import { logger } from '../logger.ts';

/** The early answer: a retryable 503, and a claim still held, because the work it cut short may yet finish. */
export class OutOfTimeError extends AppError {
  constructor() {
    super('service_unavailable', 'The service took too long to answer; please retry shortly');
  }
}

/** Left before Lambda's own deadline to run the error middlewares and return the early answer. */
export const answerMarginMs = 50;

/**
 * middy answers this just before Lambda's deadline: a dependency that stalls is a 503 to retry, not a crash that
 * the gateway shows as a 500. It throws, so the answer goes through the same onError chain as any other error.
 */
export const answerBeforeDeadline: MiddyOptions = {
  timeoutEarlyInMillis: answerMarginMs,
  timeoutEarlyResponse: () => {
    logger.warn('request ran out of time', { status: 503 });
    throw new OutOfTimeError();
  },
};
