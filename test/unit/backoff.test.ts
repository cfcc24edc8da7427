import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, equalJitterMs, fullJitterMs } from '../../lib/backoff.ts';
import { retryFor } from '../../lib/use-cases/retry-for.ts';

const schedule = { firstDelayMs: 100, maxDelayMs: 1_000 };

describe('backoff with jitter', () => {
  it('doubles the ceiling after each try, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffCeilingMs(attempt, schedule))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('draws full jitter anywhere below the ceiling, and equal jitter in its upper half', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, draw) => {
        const ceiling = backoffCeilingMs(attempt, schedule);
        const full = fullJitterMs(attempt, schedule, () => draw);
        const equal = equalJitterMs(attempt, schedule, () => draw);
        expect(full).toBeGreaterThanOrEqual(0);
        expect(full).toBeLessThan(ceiling);
        expect(equal).toBeGreaterThanOrEqual(ceiling / 2);
        expect(equal).toBeLessThanOrEqual(ceiling);
      }),
    );
  });
});

describe('retrying for a budget', () => {
  it('returns as soon as a try succeeds', async () => {
    let tries = 0;
    const result = await retryFor({ forMs: 1_000, firstDelayMs: 5, random: () => 0.5 }, async () => {
      tries += 1;
      if (tries < 3) throw new Error('not yet');
      return 'recorded';
    });
    expect(result).toBe('recorded');
    expect(tries).toBe(3);
  });

  it('tries once and throws the error with no budget', async () => {
    let tries = 0;
    const failing = retryFor({ forMs: 0, firstDelayMs: 5 }, async () => {
      tries += 1;
      throw new Error('table down');
    });
    await expect(failing).rejects.toThrow('table down');
    expect(tries).toBe(1);
  });

  it('starts no try once the invocation has less than its margin left', async () => {
    let tries = 0;
    const failing = retryFor({ forMs: 60_000, firstDelayMs: 5, remainingMs: () => 1_000, marginMs: 2_000 }, async () => {
      tries += 1;
      throw new Error('table down');
    });
    await expect(failing).rejects.toThrow('table down');
    expect(tries).toBe(1);
  });
});
