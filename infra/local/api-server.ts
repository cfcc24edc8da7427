// The local API Gateway: turns HTTP requests into HTTP API payload 2.0 events for the handlers CDK deploys.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { localOnlyRoutes, needsJwt, routes, type Route, type RunnableFunctionName } from '../routes.ts';
import { verifyBearer } from './jwt.ts';
import { lambdaContext } from './lambda-context.ts';
import { functionTimeoutSeconds } from '../../lib/settings/timing.ts';

/** API Gateway's own payload limit; the handlers enforce the API's smaller one. */
const gatewayMaxBytes = 10 * 1024 * 1024;

type Handler = (event: unknown, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

interface CompiledRoute {
  route: Route<RunnableFunctionName>;
  pattern: RegExp;
  names: string[];
}

const compile = (route: Route<RunnableFunctionName>): CompiledRoute => {
  const names: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
};

// The deployed routes, and the few only the local stack serves (the ops console's development sign-in).
const compiled = [...routes, ...localOnlyRoutes].map(compile);

const match = (method: string, path: string) => {
  for (const candidate of compiled) {
    if (candidate.route.method !== method) continue;
    const found = candidate.pattern.exec(path);
    if (!found) continue;
    const pathParameters = Object.fromEntries(
      candidate.names.map((name, i) => {
        const raw = found[i + 1] ?? '';
        try {
          return [name, decodeURIComponent(raw)];
        } catch {
          return [name, raw];
        }
      }),
    );
    return { route: candidate.route, pathParameters };
  }
  return undefined;
};

const readBody = (request: IncomingMessage): Promise<Buffer | 'too_large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > gatewayMaxBytes) {
        resolve('too_large');
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });

const send = (response: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer, head: boolean) => {
  response.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers });
  response.end(head ? undefined : body);
};

const errorJson = (code: string, message: string) => JSON.stringify({ error: { code, message, details: [] } });

const textual = /^(text\/|application\/(json|x-www-form-urlencoded|xml|[\w.+-]+\+json))/i;

export interface ApiServerOptions {
  port: number;
  host?: string;
  /** Each route's handler, run with the environment its needs give it (infra/local/handlers.ts). */
  handlerFor: (name: RunnableFunctionName) => Promise<Handler>;
}

export const startApiServer = async ({ port, host = '127.0.0.1', handlerFor }: ApiServerOptions): Promise<{ url: string; server: Server; stop(): Promise<void> }> => {
  const server = createServer(async (request, response) => {
    const head = request.method === 'HEAD';
    const jsonHeaders = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
    try {
      const url = new URL(request.url ?? '/', 'http://local');
      const found = match(request.method ?? 'GET', url.pathname);
      if (!found) return send(response, 404, jsonHeaders, errorJson('not_found', 'No such route'), head);
      const raw = await readBody(request);
      if (raw === 'too_large') return send(response, 413, jsonHeaders, errorJson('payload_too_large', 'The body is too large'), head);

      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined && name !== 'cookie') headers[name] = Array.isArray(value) ? value.join(',') : value;
      }
      let claims: Record<string, string> | undefined;
      if (needsJwt(found.route)) {
        claims = await verifyBearer(headers.authorization);
        // In AWS the authorizer itself answers 401 here, with its own {"message":"Unauthorized"} body.
        if (!claims) return send(response, 401, jsonHeaders, errorJson('unauthorized', 'A valid bearer token is required'), head);
      }
      const query: Record<string, string> = {};
      for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
      const requestId = randomUUID();
      const now = new Date();
      const isText = raw.length === 0 || textual.test(headers['content-type'] ?? 'application/json');
      const cookies = request.headers.cookie?.split(';').map((c) => c.trim()).filter(Boolean);
      const event = {
        version: '2.0',
        routeKey: `${found.route.method} ${found.route.path}`,
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        ...(cookies?.length ? { cookies } : {}),
        headers: { ...headers, 'x-forwarded-proto': 'http', 'x-forwarded-for': request.socket.remoteAddress ?? '127.0.0.1' },
        ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
        ...(Object.keys(found.pathParameters).length ? { pathParameters: found.pathParameters } : {}),
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: headers.host ?? `localhost:${port}`,
          domainPrefix: 'localhost',
          http: {
            method: found.route.method,
            path: url.pathname,
            protocol: `HTTP/${request.httpVersion}`,
            sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
            userAgent: headers['user-agent'] ?? '',
          },
          requestId,
          routeKey: `${found.route.method} ${found.route.path}`,
          stage: '$default',
          time: now.toUTCString(),
          timeEpoch: now.getTime(),
          ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
        },
        ...(raw.length ? { body: isText ? raw.toString('utf8') : raw.toString('base64') } : {}),
        isBase64Encoded: raw.length > 0 && !isText,
      };
      const handler = await handlerFor(found.route.function);
      const result = await handler(event, lambdaContext(found.route.function, requestId, functionTimeoutSeconds.http * 1000));
      const body = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
      const outHeaders: Record<string, string> = {};
      for (const [name, value] of Object.entries(result.headers ?? {})) outHeaders[name] = String(value);
      // As API Gateway's HTTP API answers: the request's id, which the audit trail records with its changes.
      outHeaders['apigw-requestid'] = requestId;
      if (result.cookies?.length) response.setHeader('set-cookie', result.cookies);
      send(response, result.statusCode ?? 200, outHeaders, body, head);
    } catch (error) {
      process.stderr.write(`local api: handler threw: ${(error as Error)?.stack ?? String(error)}\n`);
      if (!response.headersSent) send(response, 500, jsonHeaders, errorJson('internal_error', 'Internal error'), head);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${actualPort}`,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
