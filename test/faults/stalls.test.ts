import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../../infra/local/lambda-context.ts';
import { clientDefaults, isUnavailable } from '../../lib/adapters/aws-errors.ts';
import { httpRoute, type HttpEvent } from '../../lib/http/route.ts';

// Found by `npm run load -- --faults`: DynamoDB Local stopping or starting accepts connections and never
// answers; requests hung past the Lambda's deadline and came back as 500 instead of 503.

const event = {
  version: '2.0',
  routeKey: 'GET /stall',
  rawPath: '/stall',
  rawQueryString: '',
  headers: {},
  isBase64Encoded: false,
  requestContext: { http: { method: 'GET', path: '/stall', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: '' }, requestId: 'stall', routeKey: 'GET /stall' },
} as unknown as HttpEvent;

describe('a dependency that stalls', () => {
  it('fails an SDK call within its request timeout, as a retryable outage', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const client = new DynamoDBClient({
      ...clientDefaults,
      maxAttempts: 1,
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const started = Date.now();
    const outcome = await Promise.race([
      client.send(new ListTablesCommand({})).then(() => 'answered', (error: unknown) => error),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 8_000)),
    ]);
    client.destroy();
    sockets.forEach((socket) => socket.destroy());
    silent.close();
    expect(outcome).toBeInstanceOf(Error);
    expect(isUnavailable(outcome)).toBe(true);
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it('answers 503 service_unavailable, not 500, when a request runs out of Lambda time', async () => {
    const handler = httpRoute({ run: () => new Promise(() => undefined) });
    const result = await handler(event, lambdaContext('stall', 'stall', 300) as Context);
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(String(result.body)).error.code).toBe('service_unavailable');
  });
});
