// API Gateway HTTP API (payload 2.0) and SQS events shaped as infra/local builds them, handed straight
// to the handlers: no HTTP server between the bench and the code it measures.
import { randomUUID } from 'node:crypto';
import type { SQSEvent } from 'aws-lambda';
import type { Route, RunnableFunctionName } from '../infra/routes.ts';
import { lambdaContext } from '../infra/local/lambda-context.ts';
import { loadHandler } from '../infra/local/handlers.ts';

export interface Request {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** An HTML form post (the invite page), sent url-encoded instead of `body`'s JSON. */
  form?: Record<string, string>;
  claims?: Record<string, string>;
  /** A page's session cookie, as `name=value`, and the headers a browser's own post carries (Origin, the CSRF token). */
  cookies?: string[];
  headers?: Record<string, string>;
  /** The client's address; each sign-in request comes from its own, as each client's would. */
  sourceIp?: string;
}

export interface Reply {
  statusCode: number;
  body: string;
  cookies?: string[];
}

export const httpEvent = (route: Route<RunnableFunctionName>, request: Request) => {
  const sourceIp = request.sourceIp ?? '203.0.113.7';
  const rawPath = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(request.params?.[name] ?? ''));
  const now = new Date();
  const body = request.form ? new URLSearchParams(request.form).toString() : request.body === undefined ? undefined : JSON.stringify(request.body);
  const contentType = request.form ? 'application/x-www-form-urlencoded' : 'application/json';
  const routeKey = `${route.method} ${route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(request.query ?? {}).toString(),
    headers: {
      host: 'api.portal.test',
      'user-agent': 'portal-bench',
      'x-forwarded-proto': 'https',
      'x-forwarded-for': sourceIp,
      ...(body === undefined ? {} : { 'content-type': contentType }),
      ...request.headers,
    },
    ...(request.cookies ? { cookies: request.cookies } : {}),
    ...(request.query ? { queryStringParameters: request.query } : {}),
    ...(request.params ? { pathParameters: request.params } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'api.portal.test',
      domainPrefix: 'api',
      http: { method: route.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp, userAgent: 'portal-bench' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(request.claims ? { authorizer: { jwt: { claims: request.claims, scopes: null } } } : {}),
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
};

/** Claims as the HTTP API JWT authorizer hands them over, groups as its bracketed string. */
export const claimsOf = (role: 'advisors' | 'ops', firmId: string, sub = `${role}-1`) => ({
  sub,
  email: `${sub}@advisor-platform.test`,
  'cognito:groups': `[${role}]`,
  'custom:firmId': firmId,
});

type AnyHandler = (event: unknown, context: unknown) => Promise<unknown>;

export const invoke = async (route: Route<RunnableFunctionName>, event: unknown): Promise<Reply> => {
  const handler = await loadHandler<AnyHandler>(route.function);
  return (await handler(event, lambdaContext(route.function, randomUUID(), 10_000))) as Reply;
};

export const sqsEvent = (messages: { MessageId?: string; ReceiptHandle?: string; Body?: string }[]): SQSEvent => ({
  Records: messages.map((message) => ({
    messageId: message.MessageId ?? randomUUID(),
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'bench',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:bench-drain',
    awsRegion: 'us-east-1',
  })),
});
