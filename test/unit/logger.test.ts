import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../infra/local/lambda-context.ts';

/** Every line the process writes, stdout and stderr (Powertools writes warnings and errors to stderr). */
const captured = () => {
  const lines: string[] = [];
  const keep = (chunk: unknown) => lines.push(...String(chunk).split('\n').filter((line) => line !== '')) > 0;
  vi.spyOn(process.stdout, 'write').mockImplementation(keep);
  vi.spyOn(process.stderr, 'write').mockImplementation(keep);
  return lines;
};

/** A fresh process's modules: Powertools reads the environment (level, sampling, cold start) once, at import. */
const freshModules = async (env: Record<string, string | undefined>) => {
  vi.resetModules();
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const { logger } = await import('../../lib/logger.ts');
  const { observability } = await import('../../lib/observability.ts');
  return { logger, observability };
};

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('the logger', () => {
  it('writes one JSON line per event with the invocation it belongs to, cold only the first time', async () => {
    const { logger, observability } = await freshModules({ LOG_LEVEL: 'INFO', AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' });
    const lines = captured();
    const handler = middy(async (event: { n: number }) => {
      logger.info('handled', { n: event.n });
      return event.n;
    }).use(observability());
    await handler({ n: 1 }, lambdaContext('logger-test', 'request-1') as Context);
    await handler({ n: 2 }, lambdaContext('logger-test', 'request-2') as Context);
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((line) => JSON.parse(line));
    expect(first).toMatchObject({ level: 'INFO', message: 'handled', service: 'portal-onboarding', function_name: 'logger-test', function_request_id: 'request-1', cold_start: true, n: 1 });
    expect(second).toMatchObject({ function_request_id: 'request-2', cold_start: false, n: 2 });
    expect(Date.parse(first.timestamp)).not.toBeNaN();
  });

  it('never logs the event, which holds emails and names', async () => {
    const { observability } = await freshModules({ LOG_LEVEL: 'DEBUG', POWERTOOLS_LOGGER_LOG_EVENT: 'true' });
    const lines = captured();
    await middy(async () => 'done').use(observability())({ email: 'someone@client.test' }, lambdaContext('logger-test', 'request-3') as Context);
    expect(lines.join('\n')).not.toContain('someone@client.test');
  });

  it('drops lines below LOG_LEVEL', async () => {
    const { logger } = await freshModules({ LOG_LEVEL: 'WARN' });
    const lines = captured();
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.map((line) => JSON.parse(line).message)).toEqual(['loud']);
  });

  it('falls back to the level Lambda sets when LOG_LEVEL is not set', async () => {
    const { logger } = await freshModules({ LOG_LEVEL: undefined, AWS_LAMBDA_LOG_LEVEL: 'ERROR' });
    const lines = captured();
    logger.warn('quiet too');
    logger.error('loud too');
    expect(lines.map((line) => JSON.parse(line).message)).toEqual(['loud too']);
  });

  it('samples debug lines at LOG_SAMPLE_RATE, and none by default outside AWS', async () => {
    const lines = captured();
    const sampled = await freshModules({ LOG_LEVEL: 'INFO', LOG_SAMPLE_RATE: '1' });
    sampled.logger.debug('sampled detail');
    expect(lines.map((line) => JSON.parse(line).message)).toContain('sampled detail');
    const unsampled = await freshModules({ LOG_LEVEL: 'INFO', LOG_SAMPLE_RATE: undefined, AWS_LAMBDA_FUNCTION_NAME: undefined });
    unsampled.logger.debug('unsampled detail');
    expect(lines.join('\n')).not.toContain('unsampled detail');
  });
});

it('keeps the line when a field cannot be serialized', async () => {
  const { logger } = await freshModules({ LOG_LEVEL: 'INFO' });
  const lines = captured();
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  logger.info('odd field', { cycle, big: 1n });
  expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'INFO', message: 'odd field', cycle: {}, big: '1' });
});
