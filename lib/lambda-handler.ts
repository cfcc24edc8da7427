import type { Context } from 'aws-lambda';
import { startInvocation } from './logger.ts';

/** Left before Lambda's own deadline to write the log line and return the early answer. */
const answerMarginMs = 50;

/**
 * What every function does around its work: stamp the log lines with the invocation, and, where the caller
 * waits (HTTP), answer `onTimeout()` just before Lambda's deadline instead of being cut off (which the
 * gateway shows as a 500).
 *
 * Written here rather than taken from middy: this file is what was used of it, and middy's import
 * loads node:stream/web, stream/promises and timers/promises, about 4 ms of every cold start (README
 * "Performance").
 */
export const lambdaHandler =
  <E, R>(run: (event: E, context: Context) => Promise<R>, onTimeout?: () => R) =>
  async (event: E, context: Context): Promise<R> => {
    startInvocation(context);
    const remaining = context.getRemainingTimeInMillis?.();
    if (onTimeout === undefined || remaining === undefined) return run(event, context);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<R>((resolve, reject) => {
      // A throw inside a timer callback would crash the process; it fails this invocation instead.
      const answer = () => {
        try {
          resolve(onTimeout());
        } catch (error) {
          reject(error);
        }
      };
      timer = setTimeout(answer, Math.max(0, remaining - answerMarginMs));
    });
    try {
      return await Promise.race([run(event, context), deadline]);
    } finally {
      clearTimeout(timer);
    }
  };
