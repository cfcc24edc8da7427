import { sleep } from './sleep.ts';

/**
 * Start times for actions that must not outrun a rate (SES's maximum send rate), handed out in the order asked:
 * a token bucket of one token, so starts are at least 1/perSecond apart and never bunch up beyond the average.
 * A start is reserved before any of the action's work, so whether it can still happen in time is known first.
 */
export interface Pacer {
  /** The start reserved for the next action (epoch ms); undefined, and nothing reserved, if it would come after `latest`. */
  reserve(latest: number): number | undefined;
}

export const pacer = (perSecond: number, now: () => number = Date.now): Pacer => {
  const spacingMs = 1000 / perSecond;
  let next = Number.NEGATIVE_INFINITY;
  return {
    reserve(latest) {
      const start = Math.max(now(), next);
      if (start > latest) return undefined;
      next = start + spacingMs;
      return start;
    },
  };
};

/** Waits until `at` (epoch ms); at once if it has passed. */
export const waitUntil = (at: number, now: () => number = Date.now): Promise<void> => {
  const ms = at - now();
  return ms > 0 ? sleep(ms) : Promise.resolve();
};
