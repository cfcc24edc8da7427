import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { lambdaContext } from '../../infra/local/lambda-context.ts';
import { routes } from '../../infra/routes.ts';
import { envNames } from '../../lib/config.ts';
import { operations } from '../../lib/openapi/operations.ts';
import { apiUrl, call } from '../support/api.ts';

describe('the OpenAPI document', () => {
  it('has an operation for every route in the route table, and nothing else', () => {
    expect(Object.keys(operations).sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('is served as OpenAPI 3.1 with every path and the error schema', async () => {
    const answer = await call('GET', '/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.body.openapi).toBe('3.1.0');
    for (const route of routes) {
      expect(answer.body.paths[route.path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
    }
    const create = answer.body.paths['/households'].post;
    expect(create.requestBody.content['application/json'].schema.properties).toHaveProperty('name');
    expect(create.responses['201']).toBeDefined();
    expect(create.security).toEqual([{ cognito: [] }]);
    expect(answer.body.components.schemas.Error).toBeDefined();
  });
});

// The document's `servers` tells clients where to send tokens: only configuration may name it, never a request.
describe('the OpenAPI servers entry', () => {
  const forgedEvent = (proto: string, domainName: string) => ({
    version: '2.0',
    routeKey: 'GET /openapi.json',
    rawPath: '/openapi.json',
    rawQueryString: '',
    headers: { host: domainName, 'x-forwarded-proto': proto, 'x-forwarded-host': domainName },
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0],
      http: { method: 'GET', path: '/openapi.json', protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'attacker' },
      requestId: randomUUID(),
      routeKey: 'GET /openapi.json',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
  });

  it('comes from PORTAL_URL even when the first request to a fresh container forges x-forwarded-proto and host', async () => {
    const before = process.env[envNames.portalUrl];
    process.env[envNames.portalUrl] = 'https://portal.example.com/';
    onTestFinished(() => {
      if (before === undefined) delete process.env[envNames.portalUrl];
      else process.env[envNames.portalUrl] = before;
    });
    // A fresh module: the document is cached per container, so the first request is the one that could poison it.
    vi.resetModules();
    const { handler } = await import('../../functions/openapi.ts');
    const servers = [];
    for (const [proto, host] of [['javascript', 'evil.example'], ['http', 'attacker.test']]) {
      const event = forgedEvent(proto!, host!) as unknown as Parameters<typeof handler>[0];
      const result = await handler(event, lambdaContext('openapi', randomUUID()));
      expect(result.statusCode).toBe(200);
      servers.push(JSON.parse(result.body ?? '').servers);
    }
    expect(servers).toEqual([[{ url: 'https://portal.example.com' }], [{ url: 'https://portal.example.com' }]]);
  });

  it('names the API the stack configured, whatever Host and x-forwarded-proto a caller sends', async () => {
    const base = new URL(apiUrl());
    const answer = await new Promise<{ status: number; body: { servers?: { url: string }[] } }>((resolve, reject) => {
      const request = httpRequest(
        { host: base.hostname, port: base.port, path: '/openapi.json', headers: { host: 'evil.example', 'x-forwarded-proto': 'gopher' } },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
        },
      );
      request.on('error', reject);
      request.end();
    });
    expect(answer.status).toBe(200);
    expect(answer.body.servers).toEqual([{ url: apiUrl() }]);
  });
});
