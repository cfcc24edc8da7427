// Delays between our own retries (the SDK's clients have their own strategy): exponential, capped, and jittered
// so that many callers who failed together do not retry together. "Exponential Backoff And Jitter", AWS
// Architecture Blog (2015): full jitter spreads retries best; equal jitter keeps a floor of half the delay.

export interface BackoffSchedule {
  /** Ceiling of the delay after the first try; it doubles after each further try. */
  firstDelayMs: number;
  maxDelayMs: number;
}

/** The delay's ceiling after try number `attempt` (1-based). */
export const backoffCeilingMs = (attempt: number, schedule: BackoffSchedule): number =>
  Math.min(schedule.maxDelayMs, schedule.firstDelayMs * 2 ** Math.max(0, attempt - 1));

/** Anywhere from 0 up to the ceiling. */
export const fullJitterMs = (attempt: number, schedule: BackoffSchedule, random: () => number = Math.random): number =>
  Math.floor(random() * backoffCeilingMs(attempt, schedule));

/** Half the ceiling plus a random share of the other half: for retries that must leave time for an answer to arrive. */
export const equalJitterMs = (attempt: number, schedule: BackoffSchedule, random: () => number = Math.random): number => {
  const ceiling = backoffCeilingMs(attempt, schedule);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
};
