import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { RequestMarker } from '../domain/ports.ts';
import { observability } from '../observability.ts';
import type { Output, Schema } from '../schemas/validate.ts';
import type { CallerOf, Group } from './auth.ts';
import { answerBeforeDeadline } from './deadline.ts';
import type { CallerCheck } from './middlewares/caller.ts';
import { errorEnvelope } from './middlewares/error-envelope.ts';
import { httpResult } from './middlewares/http-result.ts';
import type { FormOutcome, HttpEvent, HttpMiddleware, HttpResult, RouteContext } from './middlewares/http-request.ts';
import { jsonBody } from './middlewares/json-body.ts';
import { requestLog } from './middlewares/request-log.ts';
import { routeParts } from './middlewares/route-parts.ts';
import type { Reply } from './response.ts';

export type { HttpEvent, HttpResult } from './middlewares/http-request.ts';

type Out<S> = S extends Schema ? Output<S> : undefined;

interface RouteSpec<G extends Group | undefined, P, Q, B> {
  /** The Cognito group a caller needs, `callerFromClaims('advisors')`; omitted for public and invitation-token routes. */
  caller?: CallerCheck<G>;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * An HTML form post instead of a JSON body: `formBody(schemaFor)` (middlewares/form-body.ts). This and
   * `idempotency` are handed in, as `page` is, so a function that takes neither bundles neither (about 3 KB).
   */
  form?: HttpMiddleware;
  /** Makes POST retries with the same Idempotency-Key header return the first answer: `idempotencyKeys(store)`. */
  idempotency?: HttpMiddleware;
  /**
   * A server-rendered page's security headers (middlewares/page-security-headers.ts), on every answer, error or
   * early one included; handed in by the page functions, so no other function bundles @middy/http-security-headers.
   */
  page?: HttpMiddleware;
  run: (input: {
    caller: CallerOf<G>;
    params: Out<P>;
    query: Out<Q>;
    body: Out<B>;
    form: FormOutcome | undefined;
    /** Present when the request sent an Idempotency-Key: hand it to the store that saves something new. */
    marker: RequestMarker | undefined;
    /** API Gateway's id of this request: the audit trail records it with every change the request makes. */
    requestId: string;
    /** Time left before the function's deadline (Lambda's getRemainingTimeInMillis), for work that paces itself. */
    remainingMs: () => number;
    event: HttpEvent;
  }) => Promise<Reply>;
}

/**
 * A use case as an API Gateway HTTP API (payload 2.0) handler: a middy chain with the API's error contract.
 * In order: logs and metrics of the invocation, headers lower-cased, a page's security headers (on the final answer),
 * the answer's shape, the request log line, the error envelope, then what the spec asks for (caller, idempotency,
 * path and query, body); the handler only runs the use case.
 */
export const httpRoute = <G extends Group | undefined = undefined, P = undefined, Q = undefined, B = undefined>(
  spec: RouteSpec<G, P, Q, B>,
) => {
  const own: HttpMiddleware[] = [
    ...(spec.caller ? [spec.caller] : []),
    ...(spec.idempotency ? [spec.idempotency] : []),
    routeParts({ params: spec.params as Schema | undefined, query: spec.query as Schema | undefined }),
    ...(spec.body !== undefined ? [jsonBody(spec.body as Schema)] : []),
    ...(spec.form ? [spec.form] : []),
  ];
  return middy<HttpEvent, Reply | HttpResult, Error, RouteContext, Record<string, unknown>>(
    (event: HttpEvent, context: RouteContext) =>
      spec.run({
        caller: context.caller as CallerOf<G>,
        params: context.params as Out<P>,
        query: context.query as Out<Q>,
        body: context.body as Out<B>,
        form: context.form,
        marker: context.requestMarker,
        requestId: event.requestContext.requestId,
        remainingMs: () => context.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY,
        event,
      }),
    answerBeforeDeadline,
  )
    .use(observability() as HttpMiddleware[])
    .use(httpHeaderNormalizer() as HttpMiddleware)
    .use(spec.page ? [spec.page] : [])
    .use([httpResult(), requestLog(), errorEnvelope(), ...own]) as unknown as (event: HttpEvent, context: RouteContext) => Promise<HttpResult>;
};
