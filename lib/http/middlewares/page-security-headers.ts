import httpSecurityHeaders from '@middy/http-security-headers';
import { onEarlyAnswer } from './early-answer.ts';
import type { HttpMiddleware, HttpRequest, HttpResult } from './http-request.ts';

export interface PagePolicy {
  /** The CSP source of the page's one stylesheet (its hash); a function, so it is computed on the first page. */
  styleSrc: () => string;
  /** Another origin the page's forms may reach, a redirect after a post included (the ops console's hosted sign-in). */
  formTarget?: () => string | undefined;
  /** The page's scripts (the portal's upload script, by hash) and the origins they may fetch; none elsewhere. */
  scriptSrc?: () => string;
  connectSrc?: () => string;
}

// Every default of the middleware was checked against a script-free form page served over HTTPS and local HTTP.
const optionsFor = (policy: PagePolicy) => ({
  contentSecurityPolicy: {
    'default-src': "'none'",
    'base-uri': "'none'",
    // A sandboxed page cannot post its forms, and with allow-forms its posts would carry Origin: null.
    sandbox: undefined as unknown as string,
    'form-action': ["'self'", policy.formTarget?.()].filter(Boolean).join(' '),
    'frame-ancestors': "'none'",
    // No reporting endpoint exists; a report-to naming none is noise.
    'report-to': undefined as unknown as string,
    'upgrade-insecure-requests': undefined as unknown as string,
    'style-src': policy.styleSrc(),
    ...(policy.scriptSrc ? { 'script-src': policy.scriptSrc() } : {}),
    ...(policy.connectSrc ? { 'connect-src': policy.connectSrc() } : {}),
  },
  // toResult sets nosniff on every answer; a second spelling of the same header is what this must not add.
  contentTypeOptions: false,
  // Its default list names features Chromium no longer knows and logs an error for each; a page with no script uses none.
  permissionsPolicy: false,
  reportTo: false,
  reportingEndpoints: false,
  // The page's host is not known to own its subdomains, so HSTS covers the host alone and asks for no preload.
  strictTransportSecurity: { maxAge: 180 * 24 * 60 * 60, includeSubDomains: false, preload: false },
});

type Headers = NonNullable<HttpResult['headers']>;

/** The project writes header names in lower case; the middleware's Title-Case names join them, never beside them. */
const lowerCaseNames = (headers: Headers): void => {
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if (lower === name) continue;
    headers[lower] = headers[name] as Headers[string];
    delete headers[name];
  }
};

/**
 * @middy/http-security-headers for a server-rendered page: CSP with the stylesheet's hash, no framing, no referrer.
 * It runs outside httpResult, on the gateway's answer, for pages, redirects and error answers alike.
 */
export const pageSecurityHeaders = (policy: PagePolicy): HttpMiddleware => {
  // Built on the first answer, not at import: the hash and the header strings are work a cold start need not do.
  let headers: ReturnType<typeof httpSecurityHeaders> | undefined;
  const add = async (request: HttpRequest): Promise<void> => {
    if (request.response === undefined || request.response === null) return;
    headers ??= httpSecurityHeaders(optionsFor(policy));
    await headers.after?.(request as never);
    lowerCaseNames((request.response as HttpResult).headers ?? {});
  };
  return {
    before: (request) => onEarlyAnswer(request, add),
    after: add,
    onError: add,
  };
};
