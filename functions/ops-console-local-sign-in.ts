import { consoleStyleSrc } from '#lib/console/console-document.ts';
import { localSignIn, localSignInForm, showLocalSignIn } from '#lib/console/local-sign-in.ts';
import { pageSecurityHeaders } from '#lib/http/middlewares/page-security-headers.ts';
import { formBody } from '#lib/http/middlewares/form-body.ts';
import { httpRoute } from '#lib/http/route.ts';
import { consoleSessions, wire } from '#lib/wiring.ts';

const deps = wire('ops-console-local-sign-in', consoleSessions);

// Local stack only (infra/routes.ts localOnlyRoutes): never bundled or deployed by the CDK stack.
export const handler = httpRoute({
  page: pageSecurityHeaders({ styleSrc: consoleStyleSrc }),
  form: formBody(() => localSignInForm),
  run: ({ event, form }) => (event.requestContext.http.method === 'POST' ? localSignIn(deps, event, form) : Promise.resolve(showLocalSignIn(event))),
});
