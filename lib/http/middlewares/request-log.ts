import { logger } from '../../logger.ts';
import type { Reply } from '../response.ts';
import { onEarlyAnswer } from './early-answer.ts';
import type { HttpMiddleware, HttpRequest } from './http-request.ts';

const startedKey = 'requestStartedAt';

const logAnswer = (request: HttpRequest): void => {
  const reply = request.response as Reply | undefined;
  if (!reply) return;
  const started = request.internal[startedKey] as number;
  logger.info('request', {
    route: request.event.routeKey,
    status: reply.status,
    durationMs: Math.round(performance.now() - started),
    ...(reply.status >= 400 ? { errorCode: (reply.body as { error?: { code?: string } })?.error?.code } : {}),
  });
};

/** The one 'request' line of every HTTP request, whichever way it was answered: route, status, duration, error code. */
export const requestLog = (): HttpMiddleware => ({
  before: (request) => {
    request.internal[startedKey] = performance.now();
    onEarlyAnswer(request, logAnswer);
  },
  after: logAnswer,
  onError: logAnswer,
});
