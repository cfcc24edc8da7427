// `npm start` accepts any credentials, so its services must be reachable from this machine only: every socket
// listening on a stack's ports is bound to loopback, read from the kernel's own table (/proc/net/tcp, tcp6).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';

interface Listener {
  address: string;
  port: number;
}

const listenState = '0A';

/** /proc/net/tcp writes an IPv4 address as one little-endian 32-bit word in hex. */
const ipv4 = (hex: string): string => [6, 4, 2, 0].map((at) => parseInt(hex.slice(at, at + 2), 16)).join('.');

/** /proc/net/tcp6 writes four little-endian 32-bit words; the result is the address's 16 bytes in order. */
const ipv6Bytes = (hex: string): number[] =>
  [0, 8, 16, 24].flatMap((word) => [6, 4, 2, 0].map((at) => parseInt(hex.slice(word + at, word + at + 2), 16)));

const ipv6 = (hex: string): string => {
  const bytes = ipv6Bytes(hex);
  const mappedV4 = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mappedV4) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
};

const listeners = (): Listener[] =>
  (['tcp', 'tcp6'] as const).flatMap((table) =>
    readFileSync(`/proc/net/${table}`, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[3] === listenState)
      .map((fields) => {
        const [hexAddress, hexPort] = fields[1]!.split(':') as [string, string];
        return { address: table === 'tcp' ? ipv4(hexAddress) : ipv6(hexAddress), port: parseInt(hexPort, 16) };
      }),
  );

const isLoopback = (address: string): boolean =>
  address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');

describe('the local stack', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack();
  }, 120_000);
  afterAll(() => own?.stop());

  it('decodes the kernel table the way the kernel writes it', () => {
    expect(ipv4('0100007F')).toBe('127.0.0.1');
    expect(ipv4('00000000')).toBe('0.0.0.0');
    expect(ipv6('00000000000000000000000000000000')).toBe('::');
    expect(ipv6('00000000000000000000000001000000')).toBe('::1');
    expect(ipv6('0000000000000000FFFF00000100007F')).toBe('::ffff:127.0.0.1');
  });

  it('listens on loopback only: DynamoDB Local, SQS, SES and the API, none on a wildcard or a network address', () => {
    const { apiUrl, dynamoUrl, sqsUrl, mailUrl } = own.stack;
    const ports = new Map([apiUrl, dynamoUrl, sqsUrl, mailUrl].map((url, index) => [Number(new URL(url).port), ['API', 'DynamoDB', 'SQS', 'SES'][index]!]));
    const found = listeners().filter((listener) => ports.has(listener.port));
    // Every service is seen listening, so the check below can never pass on an empty table.
    expect(new Set(found.map((listener) => ports.get(listener.port)))).toEqual(new Set(ports.values()));
    const exposed = found.filter((listener) => !isLoopback(listener.address)).map((l) => `${ports.get(l.port)} on ${l.address}:${l.port}`);
    expect(exposed).toEqual([]);
  });
});
