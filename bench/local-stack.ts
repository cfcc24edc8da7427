// Starts bench/stack-process.ts and takes over its environment, as a Lambda would get its env vars.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { repoRoot } from './bundles.ts';

export interface BenchStack {
  sqsUrl: string;
  mailUrl: string;
  stop(): Promise<void>;
}

export const startBenchStack = async (): Promise<BenchStack> => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/stack-process.ts'], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'WARN' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the bench stack exited (${code}): ${stderr.trim()}`)));
  });
  // Later lines are the ops function's own logs from the stack's queue poller: not ours to print.
  child.stdout.resume();
  const ready = JSON.parse(first) as { env: Record<string, string>; sqsUrl: string; mailUrl: string };
  Object.assign(process.env, ready.env);
  return {
    sqsUrl: ready.sqsUrl,
    mailUrl: ready.mailUrl,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      }),
  };
};
