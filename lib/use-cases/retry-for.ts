import { sleep } from '../sleep.ts';

export interface RetryBudget {
  /** How long to keep trying at most. */
  forMs: number;
  everyMs: number;
  /** Time left in the invocation; a try is only started while `marginMs` (the longest one try can take) is left. */
  remainingMs?: (() => number) | undefined;
  marginMs?: number;
}

/**
 * Calls `attempt` until it succeeds or the budget is spent, `everyMs` apart; then the last error is thrown.
 * For records that must follow an email SES already took: recording again is safe, sending again is not.
 * Bounded by the invocation's remaining time too, so giving up is a clean error, never Lambda's timeout.
 */
export const retryFor = async <T>(budget: RetryBudget, attempt: () => Promise<T>): Promise<T> => {
  const giveUpAt = Date.now() + budget.forMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      const leftInBudget = giveUpAt - Date.now();
      const leftInInvocation = budget.remainingMs ? budget.remainingMs() - (budget.marginMs ?? 0) : Number.POSITIVE_INFINITY;
      if (Math.min(leftInBudget, leftInInvocation) < budget.everyMs) throw error;
      await sleep(budget.everyMs);
    }
  }
};
