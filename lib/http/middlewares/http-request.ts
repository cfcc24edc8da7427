import type middy from '@middy/core';
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Caller, OpsCaller, RequestMarker } from '../../domain/ports.ts';
import type { AppError } from '../../domain/errors.ts';
import type { Reply } from '../response.ts';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** What the project's middlewares found in the request, for the handler to use. */
export interface RouteContext extends Context {
  /** An advisor on advisor routes, an ops team member on ops routes (lib/http/auth.ts). */
  caller?: Caller | OpsCaller;
  params?: unknown;
  query?: unknown;
  body?: unknown;
  /** A page's form: its fields, or why it could not be read (the page answers that itself). */
  form?: FormOutcome;
  /** The request's Idempotency-Key claim, opaque, when it sent one. */
  requestMarker?: RequestMarker;
}

export type FormOutcome = { ok: true; data: unknown } | { ok: false; problem: AppError };

/** Until the outermost middleware turns it into the gateway's shape, the answer is a Reply. */
export type HttpRequest = Request<HttpEvent, Reply | HttpResult, Error, RouteContext, Record<string, unknown>>;
export type HttpMiddleware = MiddlewareObj<HttpEvent, Reply | HttpResult, Error, RouteContext, Record<string, unknown>>;

export type MiddyOptions = NonNullable<Parameters<typeof middy>[1]>;
