import { fullJitterMs } from '../backoff.ts';
import { sleep } from '../sleep.ts';

export interface RetryBudget {
  /** How long to keep trying at most. */
  forMs: number;
  /** Ceiling of the first pause; it doubles after each failed try, up to maxDelayMs (4 × firstDelayMs by default). */
  firstDelayMs: number;
  maxDelayMs?: number;
  /** Time left in the invocation; a try is only started while `marginMs` (the longest one try can take) is left. */
  remainingMs?: (() => number) | undefined;
  marginMs?: number;
  random?: () => number;
}

/**
 * Calls `attempt` until it succeeds or the budget is spent, pausing with full jitter; then the last error is thrown.
 * For records that must follow an email SES already took: recording again is safe, sending again is not.
 * Bounded by the invocation's remaining time too, so giving up is a clean error, never Lambda's timeout.
 */
export const retryFor = async <T>(budget: RetryBudget, attempt: () => Promise<T>): Promise<T> => {
  const giveUpAt = Date.now() + budget.forMs;
  const schedule = { firstDelayMs: budget.firstDelayMs, maxDelayMs: budget.maxDelayMs ?? budget.firstDelayMs * 4 };
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt();
    } catch (error) {
      const pause = fullJitterMs(tries, schedule, budget.random);
      const leftInBudget = giveUpAt - Date.now();
      const leftInInvocation = budget.remainingMs ? budget.remainingMs() - (budget.marginMs ?? 0) : Number.POSITIVE_INFINITY;
      if (leftInBudget <= 0 || Math.min(leftInBudget, leftInInvocation) < pause) throw error;
      await sleep(pause);
    }
  }
};
