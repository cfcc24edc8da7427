import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOnFreePorts, type LocalStack, type LocalStackOptions } from '../../infra/local/stack.ts';
import { call, type Answer, type CallOptions } from './api.ts';

export interface OwnStack {
  stack: LocalStack;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  api: (method: string, path: string, options?: CallOptions) => Promise<Answer<any>>;
  stop(): Promise<void>;
}

/** A private stack in this test process, for tests that stop services, change limits or watch internals. */
export const startOwnStack = async (options: Partial<LocalStackOptions> = {}): Promise<OwnStack> => {
  // Request logs only where a test asks for them (set before the handlers load).
  process.env.LOG_LEVEL ??= 'WARN';
  const dataDir = mkdtempSync(join(tmpdir(), 'portal-test-'));
  const stack = await startOnFreePorts({
    dataDir,
    visibilityTimeoutSeconds: 2,
    outboxGraceSeconds: 1,
    scheduleEveryMs: 3_600_000,
    ...options,
  });
  return {
    stack,
    api: (method, path, callOptions = {}) => call(method, path, { ...callOptions, baseUrl: stack.apiUrl }),
    async stop() {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
