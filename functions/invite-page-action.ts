import { verifyDeps } from '#lib/adapters/verify-deps.ts';
import { httpRoute } from '#lib/http/route.ts';
import { submitInviteForm } from '#lib/pages/invite-page-actions.ts';

// The page's two form posts; which one is in the route key, the token is in the path.
export const handler = httpRoute({
  run: ({ event }) =>
    submitInviteForm(
      verifyDeps,
      event.routeKey.endsWith('/verify') ? 'verify' : 'accept',
      event.pathParameters?.token ?? '',
      event,
      event.requestContext.http.sourceIp,
    ),
});
