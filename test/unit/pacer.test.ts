import { describe, expect, it } from 'vitest';
import { pacer, waitUntil } from '../../lib/pacer.ts';

const clock = (at = 1_000) => {
  const time = { at };
  return { time, now: () => time.at };
};

describe('pacing sends to a rate', () => {
  it('spaces the starts 1/rate apart, in the order asked, from now', () => {
    const { now } = clock();
    const sends = pacer(4, now);
    expect([1, 2, 3, 4].map(() => sends.reserve(Number.POSITIVE_INFINITY))).toEqual([1_000, 1_250, 1_500, 1_750]);
  });

  it('starts at once after a pause, without a burst to catch up', () => {
    const { time, now } = clock();
    const sends = pacer(10, now);
    expect(sends.reserve(Infinity)).toBe(1_000);
    time.at = 5_000;
    expect(sends.reserve(Infinity)).toBe(5_000);
    expect(sends.reserve(Infinity)).toBe(5_100);
  });

  it('refuses a start later than the latest allowed, and reserves nothing for it', () => {
    const { now } = clock();
    const sends = pacer(2, now);
    expect(sends.reserve(1_600)).toBe(1_000);
    expect(sends.reserve(1_600)).toBe(1_500);
    expect(sends.reserve(1_600)).toBeUndefined();
    expect(sends.reserve(2_000)).toBe(2_000);
  });

  it('takes a fractional rate, such as one email every two seconds', () => {
    const { now } = clock();
    const sends = pacer(0.5, now);
    expect([sends.reserve(Infinity), sends.reserve(Infinity)]).toEqual([1_000, 3_000]);
  });
});

describe('waiting for a reserved start', () => {
  it('waits until the start, and not at all for one that has passed', async () => {
    const started = Date.now();
    await waitUntil(started + 60);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    // A start that has passed is not waited for: far less than the second it lies in the past, however busy the machine.
    const again = Date.now();
    await waitUntil(again - 1_000);
    expect(Date.now() - again).toBeLessThan(500);
  });
});
