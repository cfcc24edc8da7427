import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../infra/local/lambda-context.ts';
import { AppError } from '../../lib/domain/errors.ts';
import type { Claim, IdempotencyStore } from '../../lib/http/idempotency.ts';
import type { Reply } from '../../lib/http/response.ts';
import { logger } from '../../lib/logger.ts';
import { formBody } from '../../lib/http/middlewares/form-body.ts';
import { callerFromClaims } from '../../lib/http/middlewares/caller.ts';
import { idempotencyKeys } from '../../lib/http/middlewares/idempotency.ts';
import { httpRoute, type HttpEvent } from '../../lib/http/route.ts';
import { noBody } from '../../lib/schemas/common.ts';
import { verifyBody } from '../../lib/schemas/invitations.ts';

// Each middleware through the chain a function really runs (httpRoute), with API Gateway payload 2.0 events.

const event = (over: { method?: string; headers?: Record<string, string>; body?: string; claims?: Record<string, unknown> } = {}) =>
  ({
    version: '2.0',
    routeKey: `${over.method ?? 'POST'} /things`,
    rawPath: '/things',
    rawQueryString: '',
    headers: over.headers ?? {},
    ...(over.body !== undefined ? { body: over.body } : {}),
    isBase64Encoded: false,
    requestContext: {
      http: { method: over.method ?? 'POST', path: '/things', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: '' },
      requestId: 'r',
      routeKey: `${over.method ?? 'POST'} /things`,
      ...(over.claims ? { authorizer: { jwt: { claims: over.claims, scopes: null } } } : {}),
    },
  }) as unknown as HttpEvent;

const context = (timeoutMs = 5_000) => lambdaContext('middleware-test', 'request-1', timeoutMs) as Context;
const json = (result: { body?: string }) => JSON.parse(String(result.body));

/** What the chain logs, taken at the logger itself: how Powertools writes a line is its own business. */
const logLines = () => {
  const lines: Record<string, unknown>[] = [];
  for (const level of ['info', 'warn', 'error'] as const) {
    vi.spyOn(logger, level).mockImplementation(((message: unknown, ...fields: unknown[]) => {
      lines.push({ message, ...(fields[0] as Record<string, unknown>) });
    }) as never);
  }
  return lines;
};

// Quiet by default; a test that reads the lines takes them again.
beforeEach(() => void logLines());
afterEach(() => vi.restoreAllMocks());

describe('the early answer before the deadline', () => {
  it('answers 503 service_unavailable in the envelope when the work stalls, and logs the request with its code', async () => {
    const lines = logLines();
    const handler = httpRoute({ run: () => new Promise<Reply>(() => undefined) });
    const result = await handler(event(), context(300));
    expect(result.statusCode).toBe(503);
    expect(json(result).error).toEqual({ code: 'service_unavailable', message: 'The service took too long to answer; please retry shortly', details: [] });
    expect(lines.filter((line) => line.message === 'request')).toMatchObject([{ route: 'POST /things', status: 503, errorCode: 'service_unavailable' }]);
  });

  it('answers with the work when it finishes in time', async () => {
    const handler = httpRoute({ run: async () => ({ status: 200, body: { done: true } }) });
    const result = await handler(event(), context(300));
    expect(result.statusCode).toBe(200);
    expect(json(result)).toEqual({ done: true });
    expect(result.headers).toMatchObject({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  });
});

describe('the error envelope', () => {
  it('answers a refusal with its own code, status and details', async () => {
    const handler = httpRoute({ run: async () => { throw new AppError('conflict', 'Already done'); } });
    const result = await handler(event(), context());
    expect(result.statusCode).toBe(409);
    expect(json(result)).toEqual({ error: { code: 'conflict', message: 'Already done', details: [] } });
  });

  it('answers anything else 500 internal_error with a generic message and never the stack', async () => {
    const lines = logLines();
    const handler = httpRoute({ run: async () => { throw new TypeError('secret detail at line 3'); } });
    const result = await handler(event(), context());
    expect(result.statusCode).toBe(500);
    expect(json(result).error.code).toBe('internal_error');
    expect(String(result.body)).not.toContain('secret detail');
    expect(lines.find((line) => line.message === 'request failed')).toBeDefined();
  });
});

describe('the request log', () => {
  it('writes one request line with route, status and duration, and no error code on success', async () => {
    const lines = logLines();
    await httpRoute({ run: async () => ({ status: 201, body: {} }) })(event(), context());
    const requests = lines.filter((line) => line.message === 'request');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ route: 'POST /things', status: 201 });
    expect(typeof requests[0]!.durationMs).toBe('number');
    expect(requests[0]).not.toHaveProperty('errorCode');
  });
});

describe('the caller from the claims', () => {
  const advisorRoute = httpRoute({ caller: callerFromClaims('advisors'), run: async ({ caller }) => ({ status: 200, body: { firmId: caller.firmId, sub: caller.sub } }) });
  const opsRoute = httpRoute({ caller: callerFromClaims('ops'), run: async ({ caller }) => ({ status: 200, body: caller }) });

  it('puts the caller from verified claims on the request', async () => {
    const claims = { sub: 'user-1', 'cognito:groups': '[advisors]', 'custom:firmId': 'firm-a' };
    expect(json(await advisorRoute(event({ claims }), context()))).toEqual({ firmId: 'firm-a', sub: 'user-1' });
  });

  it('refuses a request without claims (401) or without the group (403) before the work runs', async () => {
    expect((await advisorRoute(event(), context())).statusCode).toBe(401);
    const ops = { sub: 'user-1', 'cognito:groups': '[ops]', 'custom:firmId': 'firm-a' };
    expect(json(await advisorRoute(event({ claims: ops }), context())).error.code).toBe('forbidden');
    expect(json(await opsRoute(event({ claims: { sub: 'user-1', 'cognito:groups': '[advisors]', 'custom:firmId': 'firm-a' } }), context())).error.code).toBe('forbidden');
  });

  it('keeps an advisor inside a valid firm: none, or a malformed one, is 403', async () => {
    for (const firmId of [undefined, '', 'f'.repeat(65), '../firm-b', 'firm a']) {
      const claims = { sub: 'user-1', 'cognito:groups': '[advisors ops]', ...(firmId === undefined ? {} : { 'custom:firmId': firmId }) };
      const answer = json(await advisorRoute(event({ claims }), context()));
      expect(answer.error, String(firmId)).toMatchObject({ code: 'forbidden', message: 'The token names no valid firm' });
    }
  });

  it('takes a member of the ops team with no firm claim, and gives the work no firm', async () => {
    const claims = { sub: 'ops-1', email: 'ops.one@platform.test', 'cognito:groups': '[ops]' };
    const answer = await opsRoute(event({ claims }), context());
    expect(answer.statusCode).toBe(200);
    expect(json(answer)).toEqual({ sub: 'ops-1', email: 'ops.one@platform.test', groups: ['ops'] });
  });

  it('does not read a firm claim on an ops route, however malformed or hostile', async () => {
    for (const firmId of ['firm-a', '', 'f'.repeat(5000), '../../firm-b', 'firm\nforged', '{"$ne":null}']) {
      const claims = { sub: 'ops-1', 'cognito:groups': '[ops]', 'custom:firmId': firmId, 'custom:firmName': 'x'.repeat(5000) };
      const answer = await opsRoute(event({ claims }), context());
      expect(answer.statusCode, firmId.slice(0, 20)).toBe(200);
      expect(json(answer)).toEqual({ sub: 'ops-1', groups: ['ops'] });
    }
  });

  it('makes someone in both groups an advisor of their firm on advisor routes and an ops member on ops routes', async () => {
    const claims = { sub: 'both-1', 'cognito:groups': '[advisors ops]', 'custom:firmId': 'firm-a' };
    expect(json(await advisorRoute(event({ claims }), context()))).toEqual({ firmId: 'firm-a', sub: 'both-1' });
    expect(json(await opsRoute(event({ claims }), context()))).toEqual({ sub: 'both-1', groups: ['advisors', 'ops'] });
  });

  it('bounds an ops member\'s subject, email and groups as an advisor\'s (401)', async () => {
    for (const claims of [
      { sub: 'ops\nforged', 'cognito:groups': '[ops]' },
      { sub: 's'.repeat(129), 'cognito:groups': '[ops]' },
      { sub: 'ops-1', email: 'not an address', 'cognito:groups': '[ops]' },
      { sub: 'ops-1', 'cognito:groups': `[ops ${Array.from({ length: 20 }, (_, i) => `g${i}`).join(' ')}]` },
      { sub: 'ops-1', 'cognito:groups': ['ops', 'g'.repeat(129)] },
    ]) {
      expect(json(await opsRoute(event({ claims }), context())).error.code, JSON.stringify(claims).slice(0, 60)).toBe('unauthorized');
    }
  });
});

describe('the JSON body', () => {
  const route = httpRoute({ body: verifyBody, run: async ({ body }) => ({ status: 200, body }) });
  const post = (body: string, type = 'application/json') => route(event({ body, headers: { 'content-type': type } }), context());

  it('gives the handler the checked body', async () => {
    expect(json(await post('{"accountNumber":"12345678"}'))).toEqual({ accountNumber: '12345678' });
  });

  it('keeps the contract: 400 invalid_json, 415 unsupported_media_type, 413 payload_too_large, 400 validation_error', async () => {
    expect(json(await post('{"accountNumber":'))).toMatchObject({ error: { code: 'invalid_json', message: 'The body is not valid JSON' } });
    const wrongType = await post('{"accountNumber":"12345678"}', 'text/plain');
    expect([wrongType.statusCode, json(wrongType).error.message]).toEqual([415, 'Send the body as application/json']);
    expect((await post(`"${'x'.repeat(1024 * 1024)}"`)).statusCode).toBe(413);
    const unknown = json(await post('{"accountNumber":"12345678","__proto__":{"admin":true}}'));
    expect(unknown.error.code).toBe('validation_error');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('reads headers whatever their case', async () => {
    const result = await route(event({ body: '{"accountNumber":"12345678"}', headers: { 'Content-Type': 'application/json' } }), context());
    expect(result.statusCode).toBe(200);
  });
});

describe('the form body', () => {
  const route = httpRoute({ form: formBody(() => verifyBody), run: async ({ form }) => ({ status: 200, body: form?.ok ? form.data : { problem: form?.problem.details } }) });
  const post = (body: string) => route(event({ body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), context());

  it('gives the handler the fields', async () => {
    expect(json(await post('accountNumber=12345678'))).toEqual({ accountNumber: '12345678' });
  });

  it('refuses a field given twice, and a field named __proto__ is just an unknown field', async () => {
    expect(json(await post('accountNumber=12345678&accountNumber=87654321')).problem).toEqual([{ path: 'form.accountNumber', message: 'is given more than once' }]);
    expect(json(await post('accountNumber=12345678&__proto__=x')).problem[0].path).toBe('form.__proto__');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('leaves the answer to the page: an unreadable form is not an error of the request', async () => {
    const empty = httpRoute({ form: formBody(() => noBody), run: async ({ form }) => ({ status: 200, body: { ok: form?.ok } }) });
    const result = await empty(event({ body: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), context());
    expect(json(result)).toEqual({ ok: false });
  });
});

/** Our own port in memory: the DynamoDB store is tested against DynamoDB Local in test/faults/idempotency-claims.test.ts. */
const memoryStore = () => {
  const entries = new Map<string, { hash: string; owner: string; reply?: Reply }>();
  let owners = 0;
  const store: IdempotencyStore = {
    claim: async (key, hash): Promise<Claim> => {
      const entry = entries.get(key);
      if (!entry) {
        const owner = `owner-${(owners += 1)}`;
        entries.set(key, { hash, owner });
        return { kind: 'new', owner };
      }
      if (entry.hash !== hash) return { kind: 'mismatch' };
      return entry.reply ? { kind: 'replay', reply: entry.reply } : { kind: 'in_progress' };
    },
    complete: async (key, owner, reply) => {
      const entry = entries.get(key);
      if (entry?.owner !== owner) return false;
      entry.reply = reply;
      return true;
    },
    release: async (key, owner) => {
      if (entries.get(key)?.owner === owner) entries.delete(key);
    },
  };
  return { store, entries };
};

describe('idempotency', () => {
  const keyed = (key: string, body = '{}') => event({ headers: { 'idempotency-key': key, 'content-type': 'application/json' }, body });

  it('runs the work once per key and replays the first answer, logged like any request', async () => {
    const { store } = memoryStore();
    let runs = 0;
    const route = httpRoute({ idempotency: idempotencyKeys(store), body: noBody, run: async () => ({ status: 201, body: { run: (runs += 1) } }) });
    await route(keyed('k1'), context());
    const lines = logLines();
    const again = await route(keyed('k1'), context());
    expect([runs, json(again), again.statusCode, again.headers?.['idempotent-replayed']]).toEqual([1, { run: 1 }, 201, 'true']);
    expect(lines.filter((line) => line.message === 'request')).toMatchObject([{ status: 201 }]);
  });

  it('answers 422 for the same key with another request', async () => {
    const { store } = memoryStore();
    const route = httpRoute({ idempotency: idempotencyKeys(store), run: async () => ({ status: 201, body: {} }) });
    await route(keyed('k2', '{"a":1}'), context());
    expect(json(await route(keyed('k2', '{"a":2}'), context())).error.code).toBe('idempotency_key_reused');
  });

  it('frees the key after a failure, so a retry runs again', async () => {
    const { store, entries } = memoryStore();
    const route = httpRoute({ idempotency: idempotencyKeys(store), run: async () => { throw new AppError('conflict', 'not now'); } });
    await route(keyed('k3'), context());
    expect(entries.size).toBe(0);
  });

  it('keeps the claim in progress when the deadline cut the work short, which may still finish', async () => {
    const { store, entries } = memoryStore();
    const route = httpRoute({ idempotency: idempotencyKeys(store), run: () => new Promise<Reply>(() => undefined) });
    expect((await route(keyed('k4'), context(300))).statusCode).toBe(503);
    expect([...entries.values()]).toMatchObject([{ hash: expect.any(String) }]);
  });

  it('keys an ops member by their sub alone: a firm claim changes nothing, and no advisor shares their keys', async () => {
    const { store, entries } = memoryStore();
    let runs = 0;
    const work = async () => ({ status: 201, body: { run: (runs += 1) } });
    const opsRoute = httpRoute({ caller: callerFromClaims('ops'), idempotency: idempotencyKeys(store), run: work });
    const advisorRoute = httpRoute({ caller: callerFromClaims('advisors'), idempotency: idempotencyKeys(store), run: work });
    const keyedAs = (claims: Record<string, unknown>) => event({ headers: { 'idempotency-key': 'k5', 'content-type': 'application/json' }, body: '{}', claims });
    await opsRoute(keyedAs({ sub: 'person-1', 'cognito:groups': '[ops]' }), context());
    const again = await opsRoute(keyedAs({ sub: 'person-1', 'cognito:groups': '[advisors ops]', 'custom:firmId': 'firm-a' }), context());
    expect([json(again), again.headers?.['idempotent-replayed']]).toEqual([{ run: 1 }, 'true']);
    // The same person as an advisor of a firm named "ops": a key of their own, so the work runs.
    expect(json(await advisorRoute(keyedAs({ sub: 'person-1', 'cognito:groups': '[advisors ops]', 'custom:firmId': 'ops' }), context()))).toEqual({ run: 2 });
    expect(entries.size).toBe(2);
  });

  it('refuses a malformed key before claiming anything', async () => {
    const { store, entries } = memoryStore();
    const route = httpRoute({ idempotency: idempotencyKeys(store), run: async () => ({ status: 201, body: {} }) });
    expect(json(await route(keyed('has space'), context())).error.code).toBe('validation_error');
    expect(entries.size).toBe(0);
  });
});
