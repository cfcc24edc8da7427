import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../infra/local/lambda-context.ts';
import { lambdaHandler } from '../../lib/lambda-handler.ts';
import { logger } from '../../lib/logger.ts';

const captured = () => {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
};

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('the logger', () => {
  it('writes one JSON line per event with the invocation it belongs to, cold only the first time', async () => {
    vi.stubEnv('LOG_LEVEL', 'INFO');
    const lines = captured();
    const handler = lambdaHandler(async (event: { n: number }) => {
      logger.info('handled', { n: event.n });
      return event.n;
    });
    await handler({ n: 1 }, lambdaContext('logger-test', 'request-1') as Context);
    await handler({ n: 2 }, lambdaContext('logger-test', 'request-2') as Context);
    const [first, second] = lines.map((line) => JSON.parse(line));
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    expect(first).toMatchObject({ level: 'INFO', message: 'handled', service: 'portal-onboarding', function_name: 'logger-test', function_request_id: 'request-1', cold_start: true, n: 1 });
    expect(second).toMatchObject({ function_request_id: 'request-2', cold_start: false, n: 2 });
    expect(Date.parse(first.timestamp)).not.toBeNaN();
  });

  it('drops lines below LOG_LEVEL, and falls back to the level Lambda sets', () => {
    const lines = captured();
    vi.stubEnv('LOG_LEVEL', 'WARN');
    logger.info('quiet');
    logger.warn('loud');
    vi.stubEnv('LOG_LEVEL', undefined);
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'ERROR');
    logger.warn('quiet too');
    logger.error('loud too');
    expect(lines.map((line) => JSON.parse(line).message)).toEqual(['loud', 'loud too']);
  });
});

it('keeps the line when a field cannot be serialized', () => {
  vi.stubEnv('LOG_LEVEL', 'INFO');
  const lines = captured();
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  logger.info('odd field', { cycle, big: 1n });
  expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'INFO', message: 'odd field', fields: 'not serializable' });
});

describe('the handler wrapper', () => {
  it('answers onTimeout() before the deadline when the work stalls, and the work itself otherwise', async () => {
    const stalled = lambdaHandler(() => new Promise<string>(() => undefined), () => 'early answer');
    const quick = lambdaHandler(async () => 'work', () => 'early answer');
    expect(await stalled({}, lambdaContext('wrapper-test', 'r1', 200) as Context)).toBe('early answer');
    expect(await quick({}, lambdaContext('wrapper-test', 'r2', 200) as Context)).toBe('work');
  });
});
