import { submitConsoleAction } from '#lib/console/console-actions.ts';
import { consoleStyleSrc } from '#lib/console/console-document.ts';
import { ticketDeskActions, ticketDeskView } from '#lib/console/desk.ts';
import { approveForm, claimForm, rejectForm } from '#lib/console/forms.ts';
import { ticketActions, type TicketAction } from '#lib/console/paths.ts';
import { pageSecurityHeaders } from '#lib/http/middlewares/page-security-headers.ts';
import { formBody } from '#lib/http/middlewares/form-body.ts';
import { httpRoute, type HttpEvent } from '#lib/http/route.ts';
import { consoleSessions, eventBus, hostedSignIn, invitationReads, invitationReissues, mail, ticketDecisions, ticketReads, ticketWorkList, wire } from '#lib/wiring.ts';

const deps = wire('ops-console-action', consoleSessions, hostedSignIn, ticketReads, ticketWorkList, ticketDecisions, invitationReads, invitationReissues, mail, eventBus);
const desk = ticketDeskView(deps);

// Which form was posted is the last segment of the route key.
const actionOf = (event: HttpEvent): TicketAction => ticketActions.find((action) => event.routeKey.endsWith(`/${action}`)) ?? 'claim';
const forms = { claim: claimForm, release: claimForm, approve: approveForm, reject: rejectForm };

export const handler = httpRoute({
  page: pageSecurityHeaders({ styleSrc: consoleStyleSrc, formTarget: () => deps.hosted()?.domain }),
  form: formBody((event) => forms[actionOf(event)]),
  // The actions are made per request: the trail records each one's request id.
  run: ({ event, form, requestId }) =>
    submitConsoleAction({ ...deps, desk, actions: ticketDeskActions({ ...deps, requestId }) }, event, actionOf(event), form),
});
