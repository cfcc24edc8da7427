// Before anything starts: the ports the stack needs are free and Java can run DynamoDB Local, each failure a clear message.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export class StartupError extends Error {}

/**
 * Below the kernel's ephemeral range: a port picked there can't be taken, between the pick and the listen,
 * by an outgoing connection's local end (CI once lost a test file to exactly that, `EADDRINUSE 127.0.0.1:33665`).
 */
const pickRange = (): { low: number; high: number } => {
  let ephemeralLow = 32_768;
  try {
    ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || ephemeralLow;
  } catch {
    // Not Linux: the usual default.
  }
  const high = Math.min(ephemeralLow, 32_768);
  return { low: Math.max(1_025, high - 12_000), high };
};

const canListen = (port: number, host: string): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });

/** Ports this process handed out, so one stack never gets the same port twice. */
const handedOut = new Set<number>();

/** A free loopback port outside the ephemeral range, never one this process handed out before. */
export const freePort = async (): Promise<number> => {
  const { low, high } = pickRange();
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = low + randomInt(high - low);
    if (handedOut.has(port)) continue;
    // Taken before the checks, so two picks at once can't both choose it.
    handedOut.add(port);
    if ((await canListen(port, '0.0.0.0')) && (await canListen(port, '127.0.0.1'))) return port;
  }
  throw new StartupError(`no free port found between ${low} and ${high}`);
};

/** Five free loopback ports, for a stack that must not meet `npm start` or another test's stack. */
export const freePorts = async () => ({
  apiPort: await freePort(),
  dynamoPort: await freePort(),
  sqsPort: await freePort(),
  sesPort: await freePort(),
  s3Port: await freePort(),
});

export const assertPortFree = (port: number, what: string, envName: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', () =>
      reject(new StartupError(`port ${port} (${what}) is busy: stop whatever uses it, or set ${envName} to another port`)),
    );
    server.listen(port, '0.0.0.0', () => server.close(() => resolve()));
  });

export const assertJava = (): void => {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const version = /version "(\d+)/.exec(`${probe.stderr ?? ''}${probe.stdout ?? ''}`)?.[1];
  if (probe.error || version === undefined) {
    throw new StartupError('Java 17+ is needed for DynamoDB Local and was not found: install it (apt-get install -y openjdk-17-jre-headless)');
  }
  if (Number(version) < 17) throw new StartupError(`Java 17+ is needed for DynamoDB Local; found Java ${version}`);
};

