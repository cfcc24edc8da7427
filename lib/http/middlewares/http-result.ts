import { toResult, type Reply } from '../response.ts';
import { onEarlyAnswer } from './early-answer.ts';
import type { HttpMiddleware, HttpRequest } from './http-request.ts';

const convert = (request: HttpRequest): void => {
  if (request.response !== undefined && request.response !== null) request.response = toResult(request.response as Reply);
};

/** The outermost of the chain: the Reply every other middleware speaks becomes API Gateway's payload 2.0 answer. */
export const httpResult = (): HttpMiddleware => ({
  before: (request) => onEarlyAnswer(request, convert),
  after: convert,
  onError: convert,
});
