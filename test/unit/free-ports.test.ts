import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, freePorts } from '../../infra/local/preflight.ts';

const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

describe('freePort: the ports a test stack listens on', () => {
  it('are below the ephemeral range, so an outgoing connection never takes one before the stack listens', async () => {
    const ports = await Promise.all(Array.from({ length: 40 }, () => freePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThan(1024);
      expect(port).toBeLessThan(ephemeralLow);
    }
  });

  it('are never handed out twice by one process, even when asked at once', async () => {
    const batches = await Promise.all(Array.from({ length: 8 }, () => freePorts()));
    const all = batches.flatMap((ports) => Object.values(ports));
    expect(new Set(all).size).toBe(all.length);
  });

  it('are free: each can be listened on', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise((resolve) => server.close(resolve));
  });
});
