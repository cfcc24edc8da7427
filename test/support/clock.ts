import { vi } from 'vitest';

/**
 * Runs `step` with every in-process handler's clock at `when`: only Date is faked, so timers, sockets and the local
 * services keep real time.
 */
export const atTime = async <T>(when: Date, step: () => Promise<T>): Promise<T> => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(when);
  try {
    return await step();
  } finally {
    vi.useRealTimers();
  }
};
