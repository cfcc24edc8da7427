import { consoleStyleSrc } from '#lib/console/console-document.ts';
import { showConsolePage } from '#lib/console/console-pages.ts';
import { ticketDeskView } from '#lib/console/desk.ts';
import { pageSecurityHeaders } from '#lib/http/middlewares/page-security-headers.ts';
import { httpRoute } from '#lib/http/route.ts';
import { consoleSessions, hostedSignIn, signListCursors, ticketReads, ticketWorkList, wire } from '#lib/wiring.ts';

signListCursors();
const deps = wire('ops-console', consoleSessions, hostedSignIn, ticketReads, ticketWorkList);
const desk = ticketDeskView(deps);

// The queue and a ticket's page; each page's sign-out form may lead on to the hosted sign-in's logout.
export const handler = httpRoute({
  page: pageSecurityHeaders({ styleSrc: consoleStyleSrc, formTarget: () => deps.hosted()?.domain }),
  run: ({ event }) => showConsolePage({ ...deps, desk }, event),
});
