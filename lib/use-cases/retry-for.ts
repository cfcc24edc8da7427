import { sleep } from '../sleep.ts';

/**
 * Calls `attempt` until it succeeds or `forMs` has passed, `everyMs` apart; then the last error is thrown.
 * For records that must follow an email SES already took: recording again is safe, sending again is not.
 */
export const retryFor = async <T>(forMs: number, everyMs: number, attempt: () => Promise<T>): Promise<T> => {
  const giveUpAt = Date.now() + forMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() >= giveUpAt) throw error;
      await sleep(everyMs);
    }
  }
};
