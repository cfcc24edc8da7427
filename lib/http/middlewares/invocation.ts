import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { startInvocation } from '../../logger.ts';

/** Stamps every log line of the invocation with its request id and cold start. */
export const invocation = (): MiddlewareObj<unknown, unknown, Error, Context> => ({
  before: ({ context }) => startInvocation(context),
});
