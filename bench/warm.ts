// Per route, warm: the handler's own CPU per request and the time it waits on AWS.
//
// Method: the handlers run in this process, invoked with API Gateway events; the local AWS stand-ins run in
// another process (bench/stack-process.ts). So process.cpuUsage() across one invocation is the handler's
// work plus the SDK client's (build the command's middleware chain, marshal, serialize, sign, parse). The meter
// (sdk-meter.ts) measures the wall and CPU time while any client's send() is in flight: AWS wait = that wall time
// minus its CPU, SDK CPU = its CPU, handler CPU = invocation CPU minus SDK CPU. Requests run one at a time, as one warm Lambda instance serves them.
import { routes, type Route } from '../infra/routes.ts';
import { httpEvent, invoke, type Reply, type Request } from './events.ts';
import { takeWindow } from './sdk-meter.ts';
import { median, quantile, round } from './stats.ts';
import { measureConsole, measureDocuments, measurePortal, type Measure } from './warm-sessions.ts';
import { routeOf, World, type Invited } from './world.ts';

export interface RouteFigures {
  route: string;
  function: string;
  requests: number;
  /** Handler code alone (ours, zod, the logger), per request. */
  handlerCpuMs?: { median: number; p99: number };
  /** The SDK client's own CPU inside AWS calls, per request. */
  sdkCpuMs?: { median: number; p99: number };
  /** Waiting on AWS (the local stand-ins), per request. */
  awsWaitMs?: { median: number; p99: number };
  awsCalls?: number;
  skipped?: string;
}

const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

const spread = (values: number[]) => ({ median: round(median(values), 3), p99: round(quantile(values, 0.99), 3) });

const sample = async (route: Route, total: number, warmup: number, request: (i: number) => Request, accept: (status: number) => boolean, seen?: (body: any, i: number, reply: Reply) => void): Promise<RouteFigures> => {
  const handler: number[] = [];
  const sdk: number[] = [];
  const wait: number[] = [];
  const calls: number[] = [];
  for (let i = 0; i < total; i += 1) {
    const event = httpEvent(route, request(i));
    takeWindow();
    const cpuStart = process.cpuUsage();
    const reply = await invoke(route, event);
    const cpu = cpuMsSince(cpuStart);
    const window = takeWindow();
    if (!accept(reply.statusCode)) throw new Error(`${route.method} ${route.path} answered ${reply.statusCode}: ${reply.body.slice(0, 300)}`);
    seen?.(reply.body.startsWith('{') ? JSON.parse(reply.body) : undefined, i, reply);
    if (i < warmup) continue;
    handler.push(Math.max(0, cpu - window.cpuMs));
    sdk.push(window.cpuMs);
    wait.push(Math.max(0, window.wallMs - window.cpuMs));
    calls.push(window.calls.length);
  }
  return {
    route: `${route.method} ${route.path}`,
    function: route.function,
    requests: total - warmup,
    handlerCpuMs: spread(handler),
    sdkCpuMs: spread(sdk),
    awsWaitMs: spread(wait),
    awsCalls: median(calls),
  };
};

const pick = <T>(pool: T[], i: number): T => pool[i % pool.length]!;

/** Measures every route of the table; a route added later is measured too if it is a GET or HEAD, and listed as skipped otherwise. */
export const measureRoutes = async (world: World, count: number, warmup: number, progress: (line: string) => void): Promise<RouteFigures[]> => {
  const total = count + warmup;
  const figures = new Map<string, RouteFigures>();
  const measure: Measure = async (method, path, status, request, seen, requests = total) => {
    const route = routeOf(method, path);
    // 'ok' takes any answer short of an error, such as the invite page's redirect after a form post.
    const accept = (s: number) => (status === 'ok' ? s < 400 : s === status);
    figures.set(`${method} ${path}`, await sample(route, requests, Math.min(warmup, requests - 1), request, accept, seen));
    progress(`warm ${method} ${path}`);
  };
  const { advisor, ops } = world;

  const clients: string[] = [];
  await measure('POST', '/households', 201, (i) => ({ claims: advisor, body: world.householdBody(i, true) }), (body) => clients.push(body.household.householdId));
  await measure('GET', '/households', 200, () => ({ claims: advisor, query: { limit: '25' } }));
  await measure('GET', '/households/{householdId}', 200, (i) => ({ claims: advisor, params: { householdId: pick(clients, i) } }));
  await measure('POST', '/households/{householdId}/accounts', 201, (i) => ({
    claims: advisor,
    params: { householdId: clients[i]! },
    body: { accountNumber: `LINKED${String(i).padStart(8, '0')}` },
  }));

  const prospects: string[] = [];
  for (let n = 0; n < Math.ceil(total / 20); n += 1) prospects.push(await world.household(total + n, false));
  const approvable: string[] = [];
  await measure('POST', '/households/{householdId}/invitations', 201, (i) => world.inviteRequest(pick(prospects, i), world.newEmail('prospect')), (body) =>
    approvable.push(body.invitation.verification.ticketId),
  );
  await measure('GET', '/households/{householdId}/invitations', 200, (i) => ({ claims: advisor, params: { householdId: pick(prospects, i) } }));
  // A batch of five, each item to a prospect household of its own: one request, five invitations and their emails.
  await measure('POST', '/invitations/batch', 200, (i) => ({
    claims: advisor,
    body: { items: [0, 1, 2, 3, 4].map((k) => ({ householdId: pick(prospects, i * 5 + k), firstName: 'Grace', lastName: 'Hopper', email: world.newEmail('batch') })) },
  }));

  progress('setting up invitations for the link, revoke and ticket routes');
  const rejectable: string[] = [];
  const toVerify: Invited[] = [];
  const toRevoke: Invited[] = [];
  const toResend: Invited[] = [];
  const hasPage = routes.some((route) => route.method === 'POST' && route.path === '/invite/{token}/verify');
  const toVerifyByPage: Invited[] = [];
  const consoleApprovable: string[] = [];
  const consoleRejectable: string[] = [];
  for (let i = 0; i < total; i += 1) {
    rejectable.push((await world.invite(pick(prospects, i), 'rejectable')).ticketId!);
    consoleApprovable.push((await world.invite(pick(prospects, i), 'console-approvable')).ticketId!);
    consoleRejectable.push((await world.invite(pick(prospects, i), 'console-rejectable')).ticketId!);
    toVerify.push(await world.invite(clients[i]!, 'verify', world.accountNumberFor(i)));
    if (hasPage) toVerifyByPage.push(await world.invite(clients[i]!, 'page', world.accountNumberFor(i)));
    toRevoke.push(await world.invite(clients[i]!, 'revoke'));
    if (i % 4 === 0) toResend.push(await world.invite(clients[i]!, 'resend'));
  }
  const invitationParams = (invited: Invited) => ({ householdId: invited.householdId, invitationId: invited.invitationId });
  // At most five emails per invitation a day: the first plus four resends each.
  await measure('POST', '/households/{householdId}/invitations/{invitationId}/resend', 200, (i) => ({ claims: advisor, params: invitationParams(pick(toResend, i)) }));
  await measure('POST', '/households/{householdId}/invitations/{invitationId}/revoke', 200, (i) => ({ claims: advisor, params: invitationParams(toRevoke[i]!) }));
  const token = (invited: Invited) => world.token(invited.email);
  await measure('GET', '/portal/invitations/{token}', 200, (i) => ({ params: { token: token(toVerify[i]!) } }));
  await measure('POST', '/portal/invitations/{token}/verify', 200, (i) => ({
    params: { token: token(toVerify[i]!) },
    body: { accountNumber: toVerify[i]!.accountNumber },
  }));
  await measure('POST', '/portal/invitations/{token}/accept', 200, (i) => ({ params: { token: token(toVerify[i]!) } }));
  if (hasPage) {
    // The invite page's own forms: the same use cases as the JSON routes above, answered with a redirect.
    await measure('POST', '/invite/{token}/verify', 'ok', (i) => ({ params: { token: token(toVerifyByPage[i]!) }, form: { accountNumber: toVerifyByPage[i]!.accountNumber! } }));
    await measure('POST', '/invite/{token}/accept', 'ok', (i) => ({ params: { token: token(toVerifyByPage[i]!) }, form: {} }));
  }

  progress('waiting for the stack to raise the tickets');
  await world.ticketsExist([...approvable, ...rejectable, ...consoleApprovable, ...consoleRejectable]);
  await measure('GET', '/ops/tickets', 200, () => ({ claims: ops, query: { limit: '25' } }));
  await measure('GET', '/ops/tickets/{ticketId}', 200, (i) => ({ claims: ops, params: { ticketId: pick(approvable, i) } }));
  // Each rejectable ticket is taken and given back before it is rejected.
  await measure('POST', '/ops/tickets/{ticketId}/claim', 200, (i) => ({ claims: ops, params: { ticketId: rejectable[i]! } }));
  await measure('POST', '/ops/tickets/{ticketId}/release', 200, (i) => ({ claims: ops, params: { ticketId: rejectable[i]! } }));
  const approval = { note: 'Identity confirmed by phone', evidence: { method: 'phone', reference: 'call to the number on file' } };
  await measure('POST', '/ops/tickets/{ticketId}/approve', 200, (i) => ({ claims: ops, params: { ticketId: approvable[i]! }, body: approval }));
  await measure('POST', '/ops/tickets/{ticketId}/reject', 200, (i) => ({ claims: ops, params: { ticketId: rejectable[i]! }, body: { reason: 'Not known to the advisor' } }));
  await measure('GET', '/openapi.json', 200, () => ({}));
  // No hosted sign-in is configured here, as on the local stack: the ops console's sign-in page and callback say so.
  await measure('GET', '/ops/console/sign-in', 404, () => ({}));
  await measure('GET', '/ops/console/callback', 404, () => ({}));
  await measure('POST', '/ops/console/sign-in', 404, () => ({ form: {}, headers: { origin: new URL(process.env.PORTAL_URL!).origin } }));
  await measureConsole(measure, world, consoleApprovable, consoleRejectable);

  progress('document checklists and the client portal');
  const uploads = await measureDocuments(measure, world, clients, total);
  await measurePortal(measure, world, toVerify, uploads);

  // Deleting a household ends it for good: each request deletes one made for it alone, with an invitation out.
  const doomed: string[] = [];
  for (let i = 0; i < total; i += 1) doomed.push((await world.invite(await world.household(3 * total + i, false), 'doomed')).householdId);
  await measure('DELETE', '/households/{householdId}', 'ok', (i) => ({ claims: advisor, params: { householdId: doomed[i]! } }));

  // Routes without a recipe above: a GET or HEAD is fed the ids and live links made here; any other method is listed
  // (it changes what it is fed), and so is a route the bench cannot feed (its reason below).
  const live = toResend.map((invited) => ({ ...invitationParams(invited), token: token(invited), ticketId: pick(approvable, 0) }));
  const cannot: Record<string, string> = {
    'GET /households/{householdId}/document-requests/{requestId}/download': 'no recipe: a link is only issued for a received file, and the bench uploads none to S3',
  };
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    if (figures.has(key)) continue;
    if ((route.method !== 'GET' && route.method !== 'HEAD') || cannot[key]) {
      figures.set(key, { route: key, function: route.function, requests: 0, skipped: cannot[key] ?? 'no request recipe in bench/warm.ts' });
      continue;
    }
    const claims = route.access === 'advisor' ? advisor : route.access === 'ops' ? ops : undefined;
    const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
    const params = (i: number) => Object.fromEntries(names.map((name) => [name, (pick(live, i) as Record<string, string>)[name] ?? '']));
    figures.set(key, await sample(route, total, warmup, (i) => ({ ...(claims ? { claims } : {}), ...(names.length ? { params: params(i) } : {}) }), (s) => s < 400));
    progress(`warm ${key}`);
  }
  return routes.map((route) => figures.get(`${route.method} ${route.path}`)!);
};
