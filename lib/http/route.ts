import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError } from '../domain/errors.ts';
import type { Caller } from '../domain/ports.ts';
import { lambdaHandler } from '../lambda-handler.ts';
import { logger } from '../logger.ts';
import { check, type Output, type Schema } from '../schemas/validate.ts';
import { callerFrom, type Group } from './auth.ts';
import { idempotencyKeyOf, idempotent, requestHash, type IdempotencyStore } from './idempotency.ts';
import { bodyText, parseJsonBody, validationFailure } from './request.ts';
import { errorReply, internalErrorReply, toResult, type Reply } from './response.ts';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

type Out<S> = S extends Schema ? Output<S> : undefined;

interface RouteSpec<G extends Group | undefined, P, Q, B> {
  /** The Cognito group a caller needs; omitted for public and invitation-token routes. */
  group?: G;
  params?: P;
  query?: Q;
  body?: B;
  /** Makes POST retries with the same Idempotency-Key header return the first answer. */
  idempotency?: IdempotencyStore;
  run: (input: {
    caller: G extends Group ? Caller : undefined;
    params: Out<P>;
    query: Out<Q>;
    body: Out<B>;
    event: HttpEvent;
  }) => Promise<Reply>;
}

const parsePart = (schema: Schema | undefined, value: unknown, part: 'params' | 'query'): unknown => {
  if (schema === undefined) return undefined;
  const result = check(schema, value ?? {});
  if (result.success) return result.data;
  // A malformed id names nothing that exists, so it is answered like any missing resource.
  if (part === 'params') throw new AppError('not_found', 'Not found');
  throw validationFailure(result.details, 'query');
};

const decide = async <G extends Group | undefined, P, Q, B>(
  spec: RouteSpec<G, P, Q, B>,
  event: HttpEvent,
): Promise<Reply> => {
  const caller = (spec.group ? callerFrom(event.requestContext.authorizer?.jwt?.claims, spec.group) : undefined) as
    G extends Group ? Caller : undefined;
  const run = () => {
    const params = parsePart(spec.params as Schema | undefined, event.pathParameters, 'params') as Out<P>;
    const query = parsePart(spec.query as Schema | undefined, event.queryStringParameters, 'query') as Out<Q>;
    const body = (spec.body === undefined ? undefined : parseJsonBody(event, spec.body as Schema)) as Out<B>;
    return spec.run({ caller, params, query, body, event });
  };
  const key = spec.idempotency && event.requestContext.http.method === 'POST' ? idempotencyKeyOf(event.headers) : undefined;
  if (key === undefined || spec.idempotency === undefined) return run();
  // Keys are per caller (or per invitation link), never shared across firms.
  const scope = caller ? `${caller.firmId}#${caller.sub}` : `link#${requestHash([event.pathParameters?.token])}`;
  const hash = requestHash([event.routeKey, event.rawPath, bodyText(event)]);
  return idempotent(spec.idempotency, `${scope}#${key}`, hash, run);
};

// A dependency that stalls until the Lambda's deadline is a 503 to retry, not a crash that the gateway shows as a 500.
const outOfTime = (): HttpResult => {
  logger.warn('request ran out of time', { status: 503 });
  return toResult(errorReply(new AppError('service_unavailable', 'The service took too long to answer; please retry shortly')));
};

/** Wraps a use case as an API Gateway HTTP API (payload 2.0) handler with the API's error contract. */
export const httpRoute = <G extends Group | undefined = undefined, P = undefined, Q = undefined, B = undefined>(
  spec: RouteSpec<G, P, Q, B>,
) =>
  lambdaHandler<HttpEvent, HttpResult>(async (event) => {
    const started = performance.now();
    let reply: Reply;
    try {
      reply = await decide(spec, event);
    } catch (error) {
      if (error instanceof AppError) {
        reply = errorReply(error);
      } else {
        logger.error('request failed', { error: error instanceof Error ? { name: error.name, stack: error.stack } : 'unknown' });
        reply = internalErrorReply();
      }
    }
    logger.info('request', {
      route: event.routeKey,
      status: reply.status,
      durationMs: Math.round(performance.now() - started),
      ...(reply.status >= 400 ? { errorCode: (reply.body as { error?: { code?: string } })?.error?.code } : {}),
    });
    return toResult(reply);
  }, outOfTime);
