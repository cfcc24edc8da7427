/** A pause between retries. The global timer, not node:timers/promises, whose import is one more module at every cold start. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
