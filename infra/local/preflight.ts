// Before anything starts: the ports the stack needs are free and Java can run DynamoDB Local, each failure a clear message.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

export class StartupError extends Error {}

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

/** Four free loopback ports, for a stack that must not meet `npm start` or another test's stack. */
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

