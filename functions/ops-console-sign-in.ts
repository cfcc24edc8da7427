import { consoleStyleSrc } from '#lib/console/console-document.ts';
import { signInForm, signOutForm } from '#lib/console/forms.ts';
import { finishSignIn, showHostedSignIn, signOut, startHostedSignIn } from '#lib/console/sign-in-actions.ts';
import { pageSecurityHeaders } from '#lib/http/middlewares/page-security-headers.ts';
import { formBody } from '#lib/http/middlewares/form-body.ts';
import { httpRoute, type HttpEvent } from '#lib/http/route.ts';
import { consoleSessions, hostedSignIn, signIns, wire } from '#lib/wiring.ts';

const deps = wire('ops-console-sign-in', consoleSessions, signIns, hostedSignIn);

const isSignOut = (event: HttpEvent) => event.routeKey === 'POST /ops/console/sign-out';

// The hosted sign-in's start (GET the page, POST its button), its callback, and sign-out.
export const handler = httpRoute({
  page: pageSecurityHeaders({ styleSrc: consoleStyleSrc, formTarget: () => deps.hosted()?.domain }),
  form: formBody((event) => (isSignOut(event) ? signOutForm : signInForm)),
  run: ({ event, form }) => {
    switch (event.routeKey) {
      case 'POST /ops/console/sign-in':
        return startHostedSignIn(deps, event, form);
      case 'GET /ops/console/callback':
        return finishSignIn(deps, event);
      case 'POST /ops/console/sign-out':
        return signOut(deps, event);
      default:
        return showHostedSignIn(deps, event);
    }
  },
});
