import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../infra/local/lambda-context.ts';
import { AppError } from '../../lib/domain/errors.ts';
import type { IdempotencyStore } from '../../lib/http/idempotency.ts';
import type { Reply } from '../../lib/http/response.ts';
import { idempotencyKeys } from '../../lib/http/middlewares/idempotency.ts';
import { httpRoute, type HttpEvent, type HttpResult } from '../../lib/http/route.ts';
import { logger } from '../../lib/logger.ts';
import { pageSecurityHeaders } from '../../lib/http/middlewares/page-security-headers.ts';
import { pageReply, pageStyleSrc, seeOther } from '../../lib/pages/page-document.ts';

// A page route's answers, whatever path they take through the chain, each carry every security header once.

const event = (method = 'GET', headers: Record<string, string> = {}) =>
  ({
    version: '2.0',
    routeKey: `${method} /invite/{token}`,
    rawPath: '/invite/abc',
    rawQueryString: '',
    headers,
    isBase64Encoded: false,
    pathParameters: { token: 'abc' },
    requestContext: {
      http: { method, path: '/invite/abc', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: '' },
      requestId: 'r',
      routeKey: `${method} /invite/{token}`,
    },
  }) as unknown as HttpEvent;

const context = (timeoutMs = 5_000) => lambdaContext('page-headers-test', 'request-1', timeoutMs) as Context;
const page = pageSecurityHeaders({ styleSrc: pageStyleSrc });
const aPage = (status = 200): Reply => pageReply(status, { title: 'Hello', body: [] });

const expected = {
  'content-security-policy': `default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'; style-src ${pageStyleSrc()}`,
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'strict-transport-security': 'max-age=15552000',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
};

/** Each expected header exactly once, whatever the case of its name, and none the page must not send. */
const expectPageHeaders = (result: HttpResult) => {
  const names = Object.keys(result.headers ?? {});
  const lower = names.map((name) => name.toLowerCase());
  expect(new Set(lower).size, 'a header name in two spellings').toBe(lower.length);
  expect(result.headers).toMatchObject(expected);
  for (const absent of ['permissions-policy', 'report-to', 'reporting-endpoints', 'x-powered-by', 'server']) {
    expect(lower, absent).not.toContain(absent);
  }
};

beforeEach(() => {
  for (const level of ['info', 'warn', 'error'] as const) vi.spyOn(logger, level).mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

describe('the security headers of a page', () => {
  it('are on a page, a 404 page and a 303 redirect', async () => {
    for (const [reply, status] of [[aPage(), 200], [aPage(404), 404], [seeOther('/invite/abc'), 303]] as const) {
      const result = await httpRoute({ page, run: async () => reply })(event(), context());
      expect(result.statusCode).toBe(status);
      expectPageHeaders(result);
    }
    const redirect = await httpRoute({ page, run: async () => seeOther('/invite/abc') })(event('POST'), context());
    expect(redirect.headers?.location).toBe('/invite/abc');
  });

  it('are on the error answers the chain makes itself: a refusal, a crash and the deadline', async () => {
    const refused = await httpRoute({ page, run: async () => { throw new AppError('rate_limited', 'slow down'); } })(event(), context());
    expect([refused.statusCode, refused.headers?.['retry-after']]).toEqual([429, '60']);
    expectPageHeaders(refused);
    const crashed = await httpRoute({ page, run: async () => { throw new TypeError('boom'); } })(event(), context());
    expect(crashed.statusCode).toBe(500);
    expectPageHeaders(crashed);
    const stalled = await httpRoute({ page, run: () => new Promise<Reply>(() => undefined) })(event(), context(300));
    expect(stalled.statusCode).toBe(503);
    expectPageHeaders(stalled);
  });

  it('are on an early answer, which skips every after step', async () => {
    const replaying: IdempotencyStore = {
      claim: async () => ({ kind: 'replay', reply: aPage(201) }),
      complete: async () => true,
      release: async () => undefined,
    };
    const route = httpRoute({ page, idempotency: idempotencyKeys(replaying), run: async () => { throw new Error('the work must not run'); } });
    const replayed = await route(event('POST', { 'idempotency-key': 'k1' }), context());
    expect(replayed.statusCode).toBe(201);
    expectPageHeaders(replayed);
  });

  it('leave a route that is not a page as it was', async () => {
    const result = await httpRoute({ run: async () => ({ status: 200, body: {} }) })(event(), context());
    expect(Object.keys(result.headers ?? {}).sort()).toEqual(['cache-control', 'content-type', 'x-content-type-options']);
  });
});
