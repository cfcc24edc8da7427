import { afterEach, describe, expect, it, vi } from 'vitest';
import { emitMetrics, metricsNamespace, outboxMetrics } from '../../lib/metrics.ts';

afterEach(() => vi.restoreAllMocks());

describe('metrics as EMF log lines', () => {
  it('writes one line CloudWatch reads as data points, whatever the log level', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => lines.push(String(chunk)) > 0);
    const level = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'ERROR';
    emitMetrics({ [outboxMetrics.stuckEntries]: { value: 2, unit: 'Count' }, [outboxMetrics.oldestEntryAge]: { value: 90, unit: 'Seconds' } });
    process.env.LOG_LEVEL = level;
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: metricsNamespace,
        Dimensions: [['service']],
        Metrics: [
          { Name: outboxMetrics.stuckEntries, Unit: 'Count' },
          { Name: outboxMetrics.oldestEntryAge, Unit: 'Seconds' },
        ],
      },
    ]);
    expect(line).toMatchObject({ service: 'portal-onboarding', [outboxMetrics.stuckEntries]: 2, [outboxMetrics.oldestEntryAge]: 90 });
    expect(Number.isInteger(line._aws.Timestamp)).toBe(true);
  });
});
