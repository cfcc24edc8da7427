import { AppError } from '../../domain/errors.ts';
import { logger } from '../../logger.ts';
import { errorReply, internalErrorReply } from '../response.ts';
import type { HttpMiddleware } from './http-request.ts';

/**
 * Any error becomes the API's envelope: a known refusal says what it is, anything else is a 500 with a generic
 * message (the stack goes to the log, never to the caller).
 */
export const errorEnvelope = (): HttpMiddleware => ({
  onError: (request) => {
    const { error } = request;
    if (error instanceof AppError) {
      request.response = errorReply(error);
      return;
    }
    logger.error('request failed', { error: error instanceof Error ? { name: error.name, stack: error.stack } : 'unknown' });
    request.response = internalErrorReply();
  },
});
