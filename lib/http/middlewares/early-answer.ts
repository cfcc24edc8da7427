import { cleanupMiddlewares } from '@aws-lambda-powertools/commons';
import type { HttpRequest, HttpResult } from './http-request.ts';
import type { Reply } from '../response.ts';

type Finisher = (request: HttpRequest) => void | Promise<void>;

const finishersKey = 'earlyAnswerFinishers';

/** middy skips every `after` once a `before` answers; a middleware whose `after` must still run registers it here. */
export const onEarlyAnswer = (request: HttpRequest, finish: Finisher): void => {
  const finishers = (request.internal[finishersKey] ??= []) as Finisher[];
  // Innermost first, the order middy runs `after`s in.
  finishers.unshift(finish);
};

/** Answers from a `before`: the registered finishers and Powertools' own cleanups (metrics flush) still run. */
export const answerEarly = async (request: HttpRequest, reply: Reply): Promise<Reply | HttpResult> => {
  request.response = reply;
  for (const finish of (request.internal[finishersKey] ?? []) as Finisher[]) await finish(request);
  await cleanupMiddlewares(request);
  return request.response;
};
