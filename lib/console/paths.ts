// Every console path in one place: the route table, the pages' links and forms, and the redirects agree.

export const consolePaths = {
  queue: '/ops/console',
  ticket: (ticketId: string) => `/ops/console/tickets/${encodeURIComponent(ticketId)}`,
  action: (ticketId: string, action: TicketAction) => `/ops/console/tickets/${encodeURIComponent(ticketId)}/${action}`,
  signIn: '/ops/console/sign-in',
  callback: '/ops/console/callback',
  signOut: '/ops/console/sign-out',
  localSignIn: '/ops/console/local-sign-in',
} as const;

export const ticketActions = ['claim', 'release', 'approve', 'reject'] as const;
export type TicketAction = (typeof ticketActions)[number];

/**
 * Where a sign-in or a form may send the browser afterwards: a console page of this origin only, its query
 * limited to what the queue's filters write, so no value can turn it into a redirect elsewhere.
 */
const consoleLocation = /^\/ops\/console(?:\/tickets\/[0-9A-Fa-f-]{36})?(?:\?[A-Za-z0-9_.~%=&+-]{0,512})?$/;

export const safeConsoleLocation = (location: string | undefined): string =>
  location !== undefined && consoleLocation.test(location) ? location : consolePaths.queue;
