import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError } from '../domain/errors.ts';

export interface Reply {
  status: number;
  body?: unknown;
  /** Defaults to JSON; an HTML page passes its own type and a string body. */
  contentType?: string;
  headers?: Record<string, string>;
  /** Set-Cookie values; payload 2.0 carries them apart from the headers, so there can be several. */
  cookies?: string[];
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const created = (body: unknown): Reply => ({ status: 201, body });

const baseHeaders = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export const toResult = (reply: Reply): APIGatewayProxyStructuredResultV2 => {
  const contentType = reply.contentType ?? 'application/json; charset=utf-8';
  const body =
    reply.body === undefined ? '' : typeof reply.body === 'string' && reply.contentType ? reply.body : JSON.stringify(reply.body);
  return {
    statusCode: reply.status,
    headers: { ...baseHeaders, 'content-type': contentType, ...reply.headers },
    ...(reply.cookies?.length ? { cookies: reply.cookies } : {}),
    body,
  };
};

export const errorReply = (error: AppError): Reply => ({
  status: error.status,
  body: { error: { code: error.code, message: error.message, details: error.details } },
  ...(error.code === 'rate_limited' ? { headers: { 'retry-after': '60' } } : {}),
});

export const internalErrorReply = (): Reply =>
  errorReply(new AppError('internal_error', 'Something went wrong on our side; it has been logged'));
