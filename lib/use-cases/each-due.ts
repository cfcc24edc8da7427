/** Items handled at once by a scheduled run: enough to drain a page quickly, few enough not to flood a struggling service. */
export const dueConcurrency = 10;

export interface EachDue<T, Outcome extends string> {
  /** Checked before each group: true when the invocation has too little time left to start one. */
  stop: () => boolean;
  handle: (item: T) => Promise<Outcome | 'failed'>;
  /** A handler that threw: counted as `failed`, never stopping the rest; this says what to log. */
  failed: (item: T, error: unknown) => void;
}

/**
 * Handles the due items of a scheduled run `dueConcurrency` at a time, each alone, so one failure never stops the
 * rest and each is retried on a later run; counts every outcome into `counts`.
 */
export const eachDue = async <T, Outcome extends string>(
  due: readonly T[],
  counts: Record<Outcome | 'failed', number>,
  { stop, handle, failed }: EachDue<T, Outcome>,
): Promise<void> => {
  for (let start = 0; start < due.length; start += dueConcurrency) {
    if (stop()) break;
    const group = due.slice(start, start + dueConcurrency);
    const outcomes = await Promise.allSettled(group.map(handle));
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') counts[outcome.value] += 1;
      else {
        counts.failed += 1;
        failed(group[i]!, outcome.reason);
      }
    });
  }
};
